import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends `Location` and `Preference-Applied` as the plain text they are.
///
/// The generated code writes header values with URI "simple" style escaping, which turns `/v1/jobs/ID`
/// into `%2Fv1%2Fjobs%2FID` and `wait=10` into `wait%3D10`; clients (curl -L, browsers, HTTP libraries)
/// expect the text itself.
struct PlainHeadersMiddleware: ServerMiddleware {
    static let names: [HTTPField.Name] = [.location, HTTPField.Name("Preference-Applied")!]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, body) = try await next(request, body, metadata)
        for name in Self.names {
            if let value = response.headerFields[name], let decoded = value.removingPercentEncoding {
                response.headerFields[name] = decoded
            }
        }
        return (response, body)
    }
}
