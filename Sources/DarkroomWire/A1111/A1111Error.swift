import HTTPTypes
import Hummingbird

/// Why the simulated WebUI refused or failed a request, in the shapes upstream A1111 answers with.
package enum A1111Error: Error, Sendable {
    /// FastAPI's body validation failure: 422 `{"detail": [{loc, msg, type}]}`.
    case validation([FieldError])
    /// A FastAPI `HTTPException`, reported by A1111's own handler:
    /// `{"error": "HTTPException", "detail": …, "body": "", "errors": "<status>: <detail>"}`.
    case http(status: HTTPResponse.Status, detail: String)
    /// An uncaught Python exception: 500 `{"error": "<class>", "detail": "", "body": "", "errors": str(e)}`.
    case exception(type: String, message: String)

    /// One pydantic (v1) validation error.
    package struct FieldError: Sendable {
        package var location: [JSONValue]
        package var message: String
        package var type: String
        package var context: JSONObject?

        package init(location: [JSONValue], message: String, type: String, context: JSONObject? = nil) {
            self.location = location
            self.message = message
            self.type = type
            self.context = context
        }
    }

    /// FastAPI's answer when reading the body raises anything but a decode error (Python's `RecursionError`
    /// on deeply nested JSON): 400 "There was an error parsing the body".
    package static let unparseableBody = A1111Error.http(
        status: .badRequest, detail: "There was an error parsing the body")

    /// The HTTP response upstream sends for this error.
    package var response: Response {
        switch self {
        case .validation(let errors):
            let details = errors.map { error -> JSONValue in
                var item: JSONObject = [
                    "loc": .array(error.location), "msg": .string(error.message), "type": .string(error.type),
                ]
                if let context = error.context { item["ctx"] = .object(context) }
                return .object(item)
            }
            return .json(["detail": .array(details)], status: .unprocessableContent, style: .compact)
        case .http(let status, let detail):
            return .json(
                [
                    "error": "HTTPException", "detail": .string(detail), "body": "",
                    "errors": .string("\(status.code): \(detail)"),
                ],
                status: status, style: .compact)
        case .exception(let type, let message):
            return .json(
                ["error": .string(type), "detail": "", "body": "", "errors": .string(message)],
                status: .internalServerError, style: .compact)
        }
    }
}
