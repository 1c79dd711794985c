import DarkroomCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The Hummingbird-level guard in front of every route: enforces the body size limit and turns the
/// router's own errors (no such route, wrong method, body too large) into problem+json.
struct HTTPProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            return Self.response(tooLarge())
        }
        do {
            if request.method == .post || request.method == .put || request.method == .patch {
                _ = try await request.collectBody(upTo: maxBodyBytes)
            }
            return try await next(request, context)
        } catch let error as HTTPError {
            return Self.response(problem(for: error))
        }
    }

    private func tooLarge() -> Problem {
        Problem(.contentTooLarge, .bodyTooLarge, detail: "the request body exceeds \(maxBodyBytes) bytes")
    }

    private func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .contentTooLarge: tooLarge()
        case .notFound: Problem(.notFound, .routeNotFound, detail: "no such route")
        case .methodNotAllowed: Problem(.methodNotAllowed, .methodNotAllowed, detail: "method not allowed on this route")
        default: Problem(error.status, .invalidParameter, detail: error.body ?? error.status.reasonPhrase)
        }
    }

    static func response(_ problem: Problem) -> Response {
        var headers = problem.headers
        headers[.contentType] = Problem.contentType
        if let seconds = problem.retryAfterSeconds { headers[.retryAfter] = "\(seconds)" }
        return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: problem.json)))
    }
}
