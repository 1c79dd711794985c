import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback port for a server a test starts with a port of its choosing (nginx, PostgreSQL), picked outside the
/// kernel's ephemeral range.
///
/// The kernel's own pick (bind to port 0, then close) comes from the ephemeral range, which every outgoing
/// connection draws its local port from too: on a loaded machine running the whole suite, a private PostgreSQL
/// once found its port taken in the moment between the pick and its start, and it has to bind the same port
/// again after each restart a test makes. Below the range only servers started this way compete, each on a
/// random port it checks is free.
enum FreePort {
    struct Exhausted: Error, CustomStringConvertible {
        var description: String { "no free loopback port below the ephemeral range after 1,000 tries" }
    }

    static func pick() throws -> Int {
        let below = ephemeralRangeStart()
        for _ in 0..<1_000 {
            let port = Int.random(in: 10_000..<below)
            if isFree(port) { return port }
        }
        throw Exhausted()
    }

    /// The first port of `net.ipv4.ip_local_port_range` (Linux's default is 32768).
    private static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let first = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
        return max(first, 10_001)
    }

    /// Whether a socket can bind 127.0.0.1:`port` now.
    private static func isFree(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var reuse: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        } == 0
    }
}
