import DarkroomWire
import HTTPTypes
import Hummingbird

/// Answers unknown routes and wrong methods the way the imitated framework does: FastAPI's
/// `{"detail": "Not Found"}` for the WebUI, aiohttp's `404: Not Found` text for ComfyUI.
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    let style: JSONStyle

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            let reason = error.status == .notFound ? "Not Found" : "Method Not Allowed"
            switch style {
            case .compact: return .json(["detail": .string(reason)], status: error.status, style: .compact)
            case .pythonDefault: return .text("\(error.status.code): \(reason)", status: error.status)
            }
        }
    }
}
