import NIOCore

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
        String(buffer: serializedBytes(style))
    }

    /// The value as UTF-8 JSON bytes in `style`, ready to be a response body (no `String` in between).
    package func serializedBytes(_ style: JSONStyle) -> ByteBuffer {
        var output = ByteBuffer()
        write(to: &output, style: style)
        return output
    }

    private func write(to output: inout ByteBuffer, style: JSONStyle) {
        let comma = style == .compact ? "," : ", "
        let colon = style == .compact ? ":" : ": "
        switch self {
        case .null: output.writeStaticString("null")
        case .bool(let value): output.writeStaticString(value ? "true" : "false")
        case .int(let value): output.writeString(String(value))
        case .double(let value): output.writeString(Self.pythonFloat(value))
        case .string(let value): Self.writeString(value, to: &output, escapeNonASCII: style == .pythonDefault)
        case .array(let elements):
            output.writeStaticString("[")
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.writeString(comma) }
                element.write(to: &output, style: style)
            }
            output.writeStaticString("]")
        case .object(let object):
            output.writeStaticString("{")
            for (offset, member) in object.members.enumerated() {
                if offset > 0 { output.writeString(comma) }
                Self.writeString(member.key, to: &output, escapeNonASCII: style == .pythonDefault)
                output.writeString(colon)
                member.value.write(to: &output, style: style)
            }
            output.writeStaticString("}")
        }
    }

    /// Python's `repr(float)`: `1.0`, `0.25`, `1e-05`, `Infinity` in JSON.
    package static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return "\(value)"
    }

    private static func writeString(_ value: String, to output: inout ByteBuffer, escapeNonASCII: Bool) {
        output.writeStaticString("\"")
        // Megabytes of base64 image go through here: text with nothing to escape is copied whole.
        if Self.needsNoEscaping(value, escapeNonASCII: escapeNonASCII) {
            output.writeString(value)
            output.writeStaticString("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.writeStaticString("\\\"")
            case "\\": output.writeStaticString("\\\\")
            case "\n": output.writeStaticString("\\n")
            case "\r": output.writeStaticString("\\r")
            case "\t": output.writeStaticString("\\t")
            case "\u{08}": output.writeStaticString("\\b")
            case "\u{0C}": output.writeStaticString("\\f")
            case _ where scalar.value < 0x20 || (escapeNonASCII && scalar.value > 0x7E):
                for unit in String(scalar).utf16 { output.writeString("\\u" + hex4(unit)) }
            default: output.writeString(String(scalar))
            }
        }
        output.writeStaticString("\"")
    }

    /// Whether `value` holds no quote, backslash or control character (and, when `escapeNonASCII`, only ASCII
    /// below DEL): one pass over its UTF-8 bytes, eight at a time (SWAR: "has a byte less than n" and "has a zero
    /// byte" bit tricks), since megabytes of base64 come through here.
    private static func needsNoEscaping(_ value: String, escapeNonASCII: Bool) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs = ones &* 0x80
            func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
            var offset = 0
            while offset + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let control = (word &- ones &* 0x20) & ~word & highs != 0
                let quoteOrBackslash = hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
                let nonASCII = escapeNonASCII && (word & highs != 0 || hasZeroByte(word ^ (ones &* 0x7F)))
                if control || quoteOrBackslash || nonASCII { return false }
                offset += 8
            }
            let limit: UInt8 = escapeNonASCII ? 0x7F : 0xFF
            return raw[offset...].allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 < limit }
        }
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
