import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A JSON response written the way the imitated framework writes it.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, style: JSONStyle) -> Response {
        let contentType = style == .compact ? "application/json" : "application/json; charset=utf-8"
        return bytes(Array(value.serialized(style).utf8), status: status, contentType: contentType)
    }

    /// A plain-text response.
    static func text(_ text: String, status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8")
        -> Response
    {
        bytes(Array(text.utf8), status: status, contentType: contentType)
    }

    /// A response carrying `bytes` as is.
    static func bytes(
        _ bytes: some Collection<UInt8>, status: HTTPResponse.Status = .ok, contentType: String,
        extraHeaders: HTTPFields = [:]
    ) -> Response {
        var headers = extraHeaders
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An empty response (aiohttp's `web.Response(status=…)`).
    static func empty(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, body: .init())
    }
}

extension Request {
    /// The whole body (bounded), as bytes.
    func bodyBytes(limit: Int = 32 << 20) async throws -> [UInt8] {
        let buffer = try await body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    }
}
