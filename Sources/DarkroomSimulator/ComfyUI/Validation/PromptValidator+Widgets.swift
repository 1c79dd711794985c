import DarkroomWire
import Foundation

extension PromptValidator {
    /// Checks a literal (non-link) input value: conversion to the input's type, then min/max or the
    /// combo's list. Returns the error entry, or `nil` when the value is fine.
    static func checkWidget(_ raw: JSONValue, input: NodeSchema.Input) -> JSONValue? {
        var value = raw
        if case .object(let wrapper) = raw, let inner = wrapper["__value__"] { value = inner }
        let config = inputConfig(input)
        let name = input.name
        func rangeError(_ type: String, _ message: String, _ received: JSONValue) -> JSONValue {
            PromptValidation.reason(
                type: type, message: message, details: name,
                extraInfo: ["input_name": .string(name), "input_config": config, "received_value": received])
        }
        do {
            switch input.kind {
            case .int(_, let min, let max, _):
                let number = try PythonCoercion.int(value)
                let received = integerJSON(number)
                if number < min {
                    return rangeError(
                        "value_smaller_than_min",
                        "Value \(integerText(number)) smaller than min of \(integerText(min))",
                        received)
                }
                if number > max {
                    return rangeError(
                        "value_bigger_than_max", "Value \(integerText(number)) bigger than max of \(integerText(max))",
                        received)
                }
            case .float(_, let min, let max, _):
                let number = try PythonCoercion.float(value)
                if number < min {
                    return rangeError(
                        "value_smaller_than_min", "Value \(floatText(number)) smaller than min of \(floatText(min))",
                        .double(number))
                }
                if number > max {
                    return rangeError(
                        "value_bigger_than_max", "Value \(floatText(number)) bigger than max of \(floatText(max))",
                        .double(number))
                }
            case .combo(let options):
                guard let text = value.string, options.contains(text) else {
                    let listInfo = options.count > 20 ? "(list of length \(options.count))" : PythonRepr.list(options)
                    return PromptValidation.reason(
                        type: "value_not_in_list", message: "Value not in list",
                        details: "\(name): '\(PythonCoercion.str(value))' not in \(listInfo)",
                        extraInfo: [
                            "input_name": .string(name), "input_config": options.count > 20 ? .null : config,
                            "received_value": value,
                        ])
                }
            case .string, .link:
                break
            }
        } catch {
            let typeName: String =
                switch input.kind {
                case .float: "FLOAT"
                default: "INT"
                }
            return PromptValidation.reason(
                type: "invalid_input_type", message: "Failed to convert an input value to a \(typeName) value",
                details: "\(name), \(PythonCoercion.str(value)), \(error.message)",
                extraInfo: [
                    "input_name": .string(name), "input_config": config, "received_value": value,
                    "exception_message": .string(error.message),
                ])
        }
        return nil
    }

    private static func integerJSON(_ value: Double) -> JSONValue {
        abs(value) < 9.2e18 ? .int(Int64(value)) : .double(value)
    }

    private static func integerText(_ value: Double) -> String {
        if abs(value) < 9.2e18 { return String(Int64(value)) }
        return value == Double(UInt64.max) ? "18446744073709551615" : String(format: "%.0f", value)
    }

    private static func floatText(_ value: Double) -> String { PythonRepr.str(.double(value)) }
}
