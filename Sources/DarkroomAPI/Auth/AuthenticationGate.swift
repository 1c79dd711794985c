import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Decides who each request acts as, before any route runs: with authentication on, a request to any route but
/// the health checks, the Studio page's files (and `/metrics`, unless it is behind a key too) must present a live
/// API key, as `Authorization: Bearer <key>` or as HTTP basic auth with the tenant's name as the user and the key as
/// the password (A1111's `--api-auth` style, for `/sdapi/v1` clients); otherwise it is answered 401 problem+json with
/// `WWW-Authenticate`. With authentication off every request acts as ``Principal/open``.
///
/// The principal is set on the context (``GatewayRequestContext/identity``) and as ``Principal/current`` for the
/// generated routes, which do not see the context. Keys never reach logs or answers.
struct AuthenticationGate: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// `nil`: authentication is off.
    let verifier: KeyVerifier?
    /// Whether `/metrics` also needs a key.
    let metricsNeedKey: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let verifier else { return try await proceed(as: .open, request, context, next) }
        if isPublic(request.uri.path) { return try await next(request, context) }
        let principal: Principal?
        do {
            if let basic = request.headers.basic {
                principal = try await verifier.principal(presenting: basic.password, tenant: basic.username)
            } else if let bearer = request.headers.bearer {
                principal = try await verifier.principal(presenting: bearer.token)
            } else {
                return unauthorized(request, .authenticationRequired, "this route needs an API key")
            }
        } catch let error as JobStoreError {
            return HTTPProblemMiddleware<Context>.response(Problem(error))
        }
        guard let principal else {
            return unauthorized(request, .invalidAPIKey, "the API key is not valid (unknown, revoked or malformed)")
        }
        return try await proceed(as: principal, request, context, next)
    }

    private func proceed(
        as principal: Principal, _ request: Request, _ context: Context,
        _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.identity = principal
        return try await Principal.$current.withValue(principal) { try await next(request, context) }
    }

    /// The routes anyone may call: liveness and readiness probes, the metrics scrape unless configured otherwise,
    /// and the Studio page's files (the page asks for a key and sends it with its API calls).
    private func isPublic(_ path: String) -> Bool {
        path == "/healthz" || path == "/readyz" || (path == "/metrics" && !metricsNeedKey)
            || StudioFiles.isPagePath(path)
    }

    /// 401 with the challenge the route's clients understand: basic auth for the A1111 routes, bearer elsewhere
    /// (a basic challenge would make a browser's page show its own login box).
    private func unauthorized(_ request: Request, _ code: ProblemCode, _ detail: String) -> Response {
        var response = HTTPProblemMiddleware<Context>.response(Problem(.unauthorized, code, detail: detail))
        let isWebUI = request.uri.path.hasPrefix("/sdapi/")
        response.headers[.wwwAuthenticate] = isWebUI ? #"Basic realm="darkroom""# : #"Bearer realm="darkroom""#
        return response
    }
}
