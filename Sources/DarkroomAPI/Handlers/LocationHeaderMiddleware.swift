import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends `Location` as the plain path it is.
///
/// The generated code writes header values with URI "simple" style escaping, which turns `/v1/jobs/ID`
/// into `%2Fv1%2Fjobs%2FID`; clients (curl -L, browsers, HTTP libraries) expect the path itself.
struct LocationHeaderMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, body) = try await next(request, body, metadata)
        if let location = response.headerFields[.location], let decoded = location.removingPercentEncoding {
            response.headerFields[.location] = decoded
        }
        return (response, body)
    }
}
