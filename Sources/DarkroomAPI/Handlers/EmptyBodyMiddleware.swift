import HTTPTypes
import OpenAPIRuntime

/// Passes a request with an empty body, and without a `Content-Type`, on as having no body.
///
/// Hummingbird hands every request a body, an empty one when the client sent nothing; the generated code then
/// reads an optional JSON body (`POST /v1/admin/tenants/{name}/keys`) from zero bytes and fails. A request with
/// no body at all is what `curl -X POST` sends, and means "the defaults".
struct EmptyBodyMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard request.headerFields[.contentType] == nil, let body else {
            return try await next(request, body, metadata)
        }
        // Without a content type no operation reads the body; a small one is read here to tell empty from not.
        let bytes = try await [UInt8](collecting: body, upTo: 1 << 20)
        return try await next(request, bytes.isEmpty ? nil : HTTPBody(bytes), metadata)
    }
}
