import Foundation
import HTTPTypes

extension Problem {
    /// Turns a request body decoding failure into a 400 (not JSON at all) or a 422 naming the field.
    init(_ error: DecodingError) {
        switch error {
        case .dataCorrupted(let context) where context.debugDescription.hasPrefix("Additional properties are disabled"):
            let field = Self.fieldPath(context.codingPath)
            self.init(.unprocessableContent, .unknownField, detail: "unknown field \(field)", field: field)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(.badRequest, .malformedJSON, detail: "the request body is not valid JSON")
        case .dataCorrupted(let context):
            let field = Self.fieldPath(context.codingPath)
            self.init(.unprocessableContent, .invalidValue, detail: "\(field) has an invalid value", field: field)
        case .typeMismatch(let type, let context):
            let field = Self.fieldPath(context.codingPath)
            let expected = Self.jsonTypeName(type)
            let detail = field.isEmpty ? "the request body must be \(expected)" : "\(field) must be \(expected)"
            self.init(.unprocessableContent, .invalidType, detail: detail, field: field.isEmpty ? nil : field)
        case .valueNotFound(let type, let context):
            let field = Self.fieldPath(context.codingPath)
            self.init(.unprocessableContent, .invalidType, detail: "\(field) must be \(Self.jsonTypeName(type)), not null", field: field)
        case .keyNotFound(let key, let context):
            let field = Self.fieldPath(context.codingPath + [key])
            self.init(.unprocessableContent, .missingField, detail: "\(field) is required", field: field)
        @unknown default:
            self.init(.badRequest, .malformedJSON, detail: "the request body could not be read")
        }
    }

    /// `loras[0].name` style paths from coding keys.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
