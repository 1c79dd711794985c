import DarkroomWire
import Foundation

/// Python's `int()`, `float()`, `str()` and `bool()` on decoded JSON, which ComfyUI applies to widget
/// inputs (`validate_inputs`), with the exception texts Python gives when they fail.
enum PythonCoercion {
    /// A failed conversion: Python's exception class and `str(exception)`.
    struct Failure: Error, Sendable {
        var type: String
        var message: String
    }

    /// `int(value)`: integers, truncated floats, booleans and decimal strings.
    static func int(_ value: JSONValue) throws(Failure) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number):
            guard number.isFinite else {
                throw Failure(type: "OverflowError", message: "cannot convert float infinity to integer")
            }
            return number.rounded(.towardZero)
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let number = Int64(trimmed.replacingOccurrences(of: "_", with: "")) else {
                throw Failure(
                    type: "ValueError", message: "invalid literal for int() with base 10: \(PythonRepr.string(text))")
            }
            return Double(number)
        default:
            throw Failure(
                type: "TypeError",
                message:
                    "int() argument must be a string, a bytes-like object or a real number, not '\(typeName(value))'")
        }
    }

    /// `float(value)`.
    static func float(_ value: JSONValue) throws(Failure) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw Failure(
                    type: "ValueError", message: "could not convert string to float: \(PythonRepr.string(text))")
            }
            return number
        default:
            throw Failure(
                type: "TypeError",
                message: "float() argument must be a string or a real number, not '\(typeName(value))'")
        }
    }

    /// `str(value)`: never fails.
    static func str(_ value: JSONValue) -> String { PythonRepr.str(value) }

    /// `bool(value)`: Python truthiness.
    static func bool(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .array(let elements): !elements.isEmpty
        case .object(let object): !object.isEmpty
        }
    }

    /// Python's type name of a decoded JSON value.
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .object: "dict"
        }
    }
}
