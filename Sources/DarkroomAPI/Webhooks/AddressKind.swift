#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which IP addresses a webhook must not reach by default: this machine, private and shared networks,
/// link-local (where cloud metadata services live), multicast and reserved ranges.
enum AddressKind {
    /// The kind of forbidden address `text` is (`loopback`, `private`, `link-local`…), or `nil` when it is a
    /// public address, or not an address literal at all.
    static func forbidden(literal text: String) -> String? {
        let text = text.split(separator: "%").first.map(String.init) ?? text  // drop an IPv6 zone
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return forbidden(ipv4: withUnsafeBytes(of: v4) { Array($0) })
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return forbidden(ipv6: withUnsafeBytes(of: v6) { Array($0) })
        }
        return nil
    }

    /// Whether `text` is an IPv4 or IPv6 address literal rather than a name.
    static func isLiteral(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        let text = text.split(separator: "%").first.map(String.init) ?? text
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    static func forbidden(ipv4 bytes: [UInt8]) -> String? {
        let (a, b) = (bytes[0], bytes[1])
        switch (a, b) {
        case (127, _): return "loopback"
        case (0, _): return "unspecified"
        case (10, _), (172, 16...31), (192, 168): return "private"
        case (100, 64...127): return "shared (carrier-grade NAT)"
        case (169, 254): return "link-local"
        case (192, 0) where bytes[2] == 0: return "reserved"
        case (198, 18...19): return "benchmarking"
        case (224...239, _): return "multicast"
        case (240...255, _): return "reserved"
        default: return nil
        }
    }

    static func forbidden(ipv6 bytes: [UInt8]) -> String? {
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return bytes[15] == 1 ? "loopback" : "unspecified" }
        // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses reach the IPv4 address inside.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF
            || bytes[0..<12] == [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]
        {
            return forbidden(ipv4: Array(bytes[12..<16]))
        }
        switch bytes[0] {
        case 0xFC, 0xFD: return "private"
        case 0xFF: return "multicast"
        case 0xFE where bytes[1] & 0xC0 == 0x80: return "link-local"
        case 0xFE where bytes[1] & 0xC0 == 0xC0: return "private"
        default: return nil
        }
    }
}
