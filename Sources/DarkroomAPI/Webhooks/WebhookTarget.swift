import Foundation
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a webhook may be delivered: an `http` or `https` URL whose host is not on this machine or its
/// private networks, unless private targets are allowed (`--allow-private-webhooks`).
///
/// The check applies to the addresses the host resolves to, not to its name, so a public-looking name that
/// points at 127.0.0.1 or the cloud metadata address is refused. A submit is checked when its URL holds an
/// address literal; every delivery resolves the name again and checks each address. Redirects are never
/// followed, and the delivery connects to the address that was checked (TLS still verifies the name).
public struct WebhookTarget: Sendable, Equatable {
    /// Why a target is refused: the stable problem codes of a submit.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not an absolute `http`/`https` URL with a host.
        case invalidURL
        /// The host is, or resolves to, an address of this kind (`loopback`, `private`, `link-local`…).
        case forbiddenAddress(String, kind: String)
        /// The host does not resolve.
        case unresolvable(String)

        public var description: String {
            switch self {
            case .invalidURL: "webhook_url must be an absolute http or https URL with a host"
            case .forbiddenAddress(let address, let kind):
                "webhook_url reaches \(address), a \(kind) address; start Darkroom with --allow-private-webhooks to allow it"
            case .unresolvable(let host): "the host \(host) does not resolve"
            }
        }
    }

    public let url: URL
    public let host: String

    /// Checks the URL's form, and its host when it is an address literal.
    public init(_ text: String, allowPrivate: Bool) throws(Refusal) {
        guard text.utf8.count <= 2_048, let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty, let url = components.url
        else { throw .invalidURL }
        self.url = url
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if !allowPrivate, let kind = AddressKind.forbidden(literal: self.host) {
            throw .forbiddenAddress(self.host, kind: kind)
        }
    }

    /// Resolves the host and checks every address it has: the check a delivery makes before it connects.
    ///
    /// - Returns: the address to connect to (the first one checked), so the connection goes where the check
    ///   looked; `nil` when the host is an address literal or private targets are allowed.
    @discardableResult
    public func checkResolvedAddresses(allowPrivate: Bool) async throws(Refusal) -> String? {
        guard !allowPrivate, AddressKind.isLiteral(host) == false else { return nil }
        let host = self.host
        let addresses: [String]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { Self.resolve(host) }
        } catch {
            throw .unresolvable(host)
        }
        guard let first = addresses.first else { throw .unresolvable(host) }
        for address in addresses {
            if let kind = AddressKind.forbidden(literal: address) { throw .forbiddenAddress(address, kind: kind) }
        }
        return first
    }

    /// Every address `getaddrinfo` gives for `host`, as text.
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
                NI_NUMERICHOST) == 0
            {
                addresses.append(
                    String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self))
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
