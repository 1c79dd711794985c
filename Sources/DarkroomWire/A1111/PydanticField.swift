import Foundation

/// One field of a pydantic (v1) request model: its type and default, and the lenient coercion pydantic
/// applies (`"20"` is a valid integer, `7` a valid float, `"yes"` a valid boolean).
package struct PydanticField: Sendable {
    /// The field's declared type.
    package enum Kind: Sendable {
        case string, integer, float, boolean, dictionary, stringList, anyList
    }

    package var name: String
    package var kind: Kind
    package var defaultValue: JSONValue

    /// The outcome of validating one field.
    package enum Coercion: Sendable {
        case value(JSONValue)
        case errors([A1111Error.FieldError])
    }

    /// `value` coerced to the field's type, or the validation errors pydantic reports (`loc` starts at
    /// `["body", name]`). `null` is always valid: every field of A1111's model is optional.
    package func coerce(_ value: JSONValue) -> Coercion {
        if value == .null { return .value(.null) }
        let location: [JSONValue] = ["body", .string(name)]
        switch kind {
        case .stringList, .anyList:
            guard case .array(let items) = value else {
                return .errors([
                    .init(location: location, message: "value is not a valid list", type: "type_error.list")
                ])
            }
            guard kind == .stringList else { return .value(value) }
            var coerced: [JSONValue] = []
            var errors: [A1111Error.FieldError] = []
            for (index, item) in items.enumerated() {
                if let string = Self.string(item) {
                    coerced.append(.string(string))
                } else {
                    errors.append(
                        .init(
                            location: location + [.integer(index)], message: "str type expected", type: "type_error.str"
                        ))
                }
            }
            return errors.isEmpty ? .value(.array(coerced)) : .errors(errors)
        case .dictionary:
            guard case .object = value else {
                return .errors([
                    .init(location: location, message: "value is not a valid dict", type: "type_error.dict")
                ])
            }
            return .value(value)
        case .string:
            guard let string = Self.string(value) else {
                return .errors([.init(location: location, message: "str type expected", type: "type_error.str")])
            }
            return .value(.string(string))
        case .integer:
            guard let integer = Self.integer(value) else {
                return .errors([
                    .init(location: location, message: "value is not a valid integer", type: "type_error.integer")
                ])
            }
            return .value(.int(integer))
        case .float:
            guard let float = Self.float(value) else {
                return .errors([
                    .init(location: location, message: "value is not a valid float", type: "type_error.float")
                ])
            }
            return .value(.double(float))
        case .boolean:
            guard let flag = Self.boolean(value) else {
                return .errors([
                    .init(
                        location: location, message: "value could not be parsed to a boolean", type: "type_error.bool")
                ])
            }
            return .value(.bool(flag))
        }
    }

    /// pydantic v1 `str_validator`: strings, and numbers turned into their text.
    private static func string(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): PythonRepr.str(.double(number))
        case .bool(let flag): flag ? "True" : "False"
        default: nil
        }
    }

    /// pydantic v1 `int_validator`: `int(v)`, which truncates floats and parses decimal strings.
    private static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let number): number
        case .bool(let flag): flag ? 1 : 0
        case .double(let number): number.isFinite && abs(number) < 9.2e18 ? Int64(number) : nil
        case .string(let text): Int64(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: ""))
        default: nil
        }
    }

    /// pydantic v1 `float_validator`: `float(v)`.
    private static func float(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        case .bool(let flag): flag ? 1 : 0
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// pydantic v1 `bool_validator`: booleans, 0/1 and the usual words.
    private static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .int(let number) where number == 0 || number == 1: return number == 1
        case .double(let number) where number == 0 || number == 1: return number == 1
        case .string(let text):
            let word = text.lowercased()
            if ["1", "on", "t", "true", "y", "yes"].contains(word) { return true }
            if ["0", "off", "f", "false", "n", "no"].contains(word) { return false }
            return nil
        default: return nil
        }
    }
}
