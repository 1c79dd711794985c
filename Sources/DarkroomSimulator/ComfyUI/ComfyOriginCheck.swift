import Foundation
import HTTPTypes
import Hummingbird

/// ComfyUI's CSRF guard (server.py `create_origin_only_middleware`), reproduced so clients are tested against it:
/// a request to a loopback host that carries both `Host` and `Origin` is refused with 403 when the two differ.
///
/// As upstream does, a side without a port is compared by host name only: `Origin: ws://127.0.0.1` passes for
/// `Host: 127.0.0.1:8188`, while `Origin: http://127.0.0.1:3000` does not.
struct ComfyOriginCheck<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let host = request.head.authority, let origin = request.headers[.origin],
            Self.refuses(host: host, origin: origin)
        {
            return Response(status: .forbidden)
        }
        return try await next(request, context)
    }

    /// Whether ComfyUI would answer 403 to this `Host` / `Origin` pair.
    static func refuses(host: String, origin: String) -> Bool {
        guard let hostParts = URLComponents(string: "//" + host.lowercased()),
            let originParts = URLComponents(string: origin.lowercased())
        else { return false }
        var hostDomain: String? = host.lowercased()
        var originDomain: String? = originParts.host.map { name in originParts.port.map { "\(name):\($0)" } ?? name }
        if originParts.port == nil { hostDomain = hostParts.host }
        if hostParts.port == nil { originDomain = originParts.host }
        guard isLoopback(hostParts.host), let hostDomain, let originDomain, !hostDomain.isEmpty, !originDomain.isEmpty
        else { return false }
        return hostDomain != originDomain
    }

    private static func isLoopback(_ name: String?) -> Bool {
        guard let name else { return false }
        return name == "localhost" || name.hasPrefix("127.") || name == "[::1]" || name == "::1"
    }
}
