import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Turns every error thrown by a generated operation into a problem+json response.
///
/// Errors before the handler ran (the body or a parameter could not be decoded) become 400/422 naming the
/// field; domain errors map through ``Problem``; anything else is logged and answered with a generic 500,
/// so no database or backend text reaches a client.
struct ProblemMiddleware: ServerMiddleware {
    let logger: Logger

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch let error as ServerError {
            return Self.response(for: problem(for: error))
        }
    }

    private func problem(for error: ServerError) -> Problem {
        switch error.underlyingError {
        case let problem as Problem: return problem
        case let decoding as DecodingError where Self.carriesBody(error.request): return Problem(decoding)
        case is DecodingError:
            // Without a body, only a path or query parameter can have failed to decode (`?state=sleeping`);
            // its coding path is empty, so it must not be reported as malformed JSON.
            return Problem(.badRequest, .invalidParameter, detail: "a path or query parameter has an invalid value")
        case let validation as ValidationError: return Problem(validation)
        case let store as JobStoreError: return Problem(store)
        default:
            if error.operationInput == nil {
                // The request could not be turned into the operation's input: a client mistake.
                return Problem(.badRequest, .invalidParameter, detail: error.causeDescription)
            }
            logger.error(
                "Unhandled error", metadata: [LogKey.error.rawValue: "\(String(reflecting: error.underlyingError))"])
            return Problem(.internalServerError, .internalError, detail: "the server failed; the error was logged")
        }
    }

    /// Whether the request sent a body: generated code decodes a JSON body only after matching its Content-Type.
    private static func carriesBody(_ request: HTTPRequest) -> Bool {
        request.headerFields[.contentType] != nil
    }

    static func response(for problem: Problem) -> (HTTPResponse, HTTPBody?) {
        var fields = problem.headers
        fields[.contentType] = Problem.contentType
        if let seconds = problem.retryAfterSeconds { fields[.retryAfter] = "\(seconds)" }
        let bytes = problem.json
        return (HTTPResponse(status: problem.status, headerFields: fields), HTTPBody(bytes))
    }
}
