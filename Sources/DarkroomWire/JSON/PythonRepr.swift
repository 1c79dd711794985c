import Foundation

/// Python's `repr` for the few values the servers put into error texts.
package enum PythonRepr {
    /// `repr(str)`: single quotes, unless the text holds a single quote and no double quote.
    package static func string(_ text: String) -> String {
        let quote = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var body = text.replacingOccurrences(of: "\\", with: "\\\\")
        if quote == "'" { body = body.replacingOccurrences(of: "'", with: "\\'") }
        body = body.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        return quote + body + quote
    }

    /// `str(list_of_str)`: `['a.safetensors', 'b.safetensors']`.
    package static func list(_ items: [String]) -> String {
        "[" + items.map(string).joined(separator: ", ") + "]"
    }

    /// `str(value)` for a JSON value the way Python prints the decoded object.
    package static func str(_ value: JSONValue) -> String {
        switch value {
        case .null: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .int(let number): String(number)
        case .double(let number): number.isNaN ? "nan" : number.isInfinite ? (number < 0 ? "-inf" : "inf") : "\(number)"
        case .string(let text): text
        case .array(let elements): "[" + elements.map(repr).joined(separator: ", ") + "]"
        case .object(let object):
            "{" + object.members.map { "\(string($0.key)): \(repr($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// `repr(value)`: like ``str(_:)`` but strings are quoted.
    package static func repr(_ value: JSONValue) -> String {
        if case .string(let text) = value { return string(text) }
        return str(value)
    }
}
