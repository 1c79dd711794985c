/// How a Python web framework writes JSON; the two real servers differ.
package enum JSONStyle: Sendable {
    /// FastAPI's `JSONResponse` (A1111): `{"a":1,"b":[1,2]}`, non-ASCII kept as is.
    case compact
    /// Python's default `json.dumps` (aiohttp, ComfyUI): `{"a": 1, "b": [1, 2]}`, non-ASCII escaped.
    case pythonDefault
}

extension JSONValue {
    /// The value as UTF-8 JSON text in `style`.
    package func serialized(_ style: JSONStyle) -> String {
        var output = ""
        write(to: &output, style: style)
        return output
    }

    private func write(to output: inout String, style: JSONStyle) {
        let comma = style == .compact ? "," : ", "
        let colon = style == .compact ? ":" : ": "
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value): output += Self.pythonFloat(value)
        case .string(let value): Self.writeString(value, to: &output, escapeNonASCII: style == .pythonDefault)
        case .array(let elements):
            output += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output += comma }
                element.write(to: &output, style: style)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (offset, member) in object.members.enumerated() {
                if offset > 0 { output += comma }
                Self.writeString(member.key, to: &output, escapeNonASCII: style == .pythonDefault)
                output += colon
                member.value.write(to: &output, style: style)
            }
            output += "}"
        }
    }

    /// Python's `repr(float)`: `1.0`, `0.25`, `1e-05`, `Infinity` in JSON.
    package static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return "\(value)"
    }

    private static func writeString(_ value: String, to output: inout String, escapeNonASCII: Bool) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20 || (escapeNonASCII && scalar.value > 0x7E):
                for unit in String(scalar).utf16 { output += "\\u" + hex4(unit) }
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
