import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A JSON response written the way the imitated framework writes it.
    package static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, style: JSONStyle) -> Response {
        let contentType = style == .compact ? "application/json" : "application/json; charset=utf-8"
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: value.serializedBytes(style)))
    }

    /// A plain-text response.
    package static func text(
        _ text: String, status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8"
    )
        -> Response
    {
        bytes(Array(text.utf8), status: status, contentType: contentType)
    }

    /// A response carrying `bytes` as is.
    package static func bytes(
        _ bytes: some Collection<UInt8>, status: HTTPResponse.Status = .ok, contentType: String,
        extraHeaders: HTTPFields = [:]
    ) -> Response {
        var headers = extraHeaders
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An empty response (aiohttp's `web.Response(status=…)`).
    package static func empty(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, body: .init())
    }
}

extension Request {
    /// The whole body (bounded), as bytes.
    package func bodyBytes(limit: Int = 32 << 20) async throws -> [UInt8] {
        let buffer = try await body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    }

    /// Whether FastAPI would read the body as JSON: the content type is JSON, or there is none.
    package var hasFastAPIJSONBody: Bool {
        guard let type = headers[.contentType]?.lowercased() else { return true }
        let essence = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return essence == "application/json" || (essence.hasPrefix("application/") && essence.hasSuffix("+json"))
    }
}
