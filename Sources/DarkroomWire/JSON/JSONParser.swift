/// Why a request body is not JSON, worded like Python's `json.JSONDecodeError`.
package struct JSONDecodeError: Error, Sendable, Equatable {
    /// The bare message, e.g. `Expecting value`.
    package var message: String
    /// The offset of the problem in characters (Unicode scalars), as Python counts.
    package var position: Int
    package var line: Int
    package var column: Int

    /// The text Python's `str(error)` gives: `Expecting value: line 1 column 1 (char 0)`.
    package var description: String { "\(message): line \(line) column \(column) (char \(position))" }
}

/// A strict JSON parser (RFC 8259, plus Python's `NaN`/`Infinity`) that keeps key order and integers.
///
/// Arrays and objects may nest ``PythonRecursion/limit`` deep; deeper is refused as
/// ``JSONParseFailure/nestedTooDeeply`` rather than recursing without bound.
package struct JSONParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    /// Arrays and objects open around the current position.
    private var depth = 0

    /// Parses one JSON document from `bytes` (UTF-8).
    package static func parse(_ bytes: some Sequence<UInt8>) throws(JSONParseFailure) -> JSONValue {
        var parser = JSONParser(scalars: Array(String(decoding: Array(bytes), as: UTF8.self).unicodeScalars))
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == parser.scalars.count else { throw parser.error("Extra data") }
        return value
    }

    /// The document, or `nil` when `bytes` is not JSON.
    package static func parseOrNil(_ bytes: some Sequence<UInt8>) -> JSONValue? {
        try? parse(bytes)
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func error(_ message: String, at position: Int? = nil) -> JSONParseFailure {
        let position = position ?? index
        let before = scalars[..<min(position, scalars.count)]
        let line = before.filter { $0 == "\n" }.count + 1
        let lastNewline = before.lastIndex(of: "\n").map { $0 + 1 } ?? 0
        return .malformed(
            JSONDecodeError(message: message, position: position, line: line, column: position - lastNewline + 1))
    }

    private mutating func skipWhitespace() {
        while let scalar = current, [" ", "\t", "\n", "\r"].contains(scalar) { index += 1 }
    }

    private mutating func consume(_ literal: String) -> Bool {
        let expected = Array(literal.unicodeScalars)
        guard index + expected.count <= scalars.count, Array(scalars[index..<index + expected.count]) == expected
        else { return false }
        index += expected.count
        return true
    }

    private mutating func parseValue() throws(JSONParseFailure) -> JSONValue {
        switch current {
        case "{": return try parseObject()
        case "[": return try parseArray()
        case "\"": return .string(try parseString())
        default: break
        }
        if consume("null") { return .null }
        if consume("true") { return .bool(true) }
        if consume("false") { return .bool(false) }
        if consume("NaN") { return .double(.nan) }
        if consume("Infinity") { return .double(.infinity) }
        if consume("-Infinity") { return .double(-.infinity) }
        if let number = parseNumber() { return number }
        throw error("Expecting value")
    }

    /// Opens one more array or object; the caller closes it with `depth -= 1`.
    private mutating func enterNesting() throws(JSONParseFailure) {
        guard depth < PythonRecursion.limit else { throw .nestedTooDeeply }
        depth += 1
    }

    private mutating func parseObject() throws(JSONParseFailure) -> JSONValue {
        try enterNesting()
        defer { depth -= 1 }
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if current == "}" {
            index += 1
            return .object(object)
        }
        while true {
            guard current == "\"" else { throw error("Expecting property name enclosed in double quotes") }
            let key = try parseString()
            skipWhitespace()
            guard current == ":" else { throw error("Expecting ':' delimiter") }
            index += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            switch current {
            case ",":
                index += 1
                skipWhitespace()
            case "}":
                index += 1
                return .object(object)
            default:
                throw error("Expecting ',' delimiter")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseFailure) -> JSONValue {
        try enterNesting()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == "]" {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch current {
            case ",": index += 1
            case "]":
                index += 1
                return .array(elements)
            default: throw error("Expecting ',' delimiter")
            }
        }
    }

    private mutating func parseString() throws(JSONParseFailure) -> String {
        let start = index
        index += 1
        var text = String.UnicodeScalarView()
        while let scalar = current {
            index += 1
            switch scalar {
            case "\"":
                return String(text)
            case "\\":
                text.append(try parseEscape(stringStart: start))
            case _ where scalar.value < 0x20:
                throw error("Invalid control character at", at: index - 1)
            default:
                text.append(scalar)
            }
        }
        throw error("Unterminated string starting at", at: start)
    }

    private mutating func parseEscape(stringStart: Int) throws(JSONParseFailure) -> Unicode.Scalar {
        guard let escaped = current else { throw error("Unterminated string starting at", at: stringStart) }
        index += 1
        switch escaped {
        case "\"", "\\", "/": return escaped
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            let high = try parseHex()
            if (0xD800..<0xDC00).contains(high), consume("\\u") {
                let low = try parseHex()
                if (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                }
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        default:
            throw error("Invalid \\escape", at: index - 2)
        }
    }

    private mutating func parseHex() throws(JSONParseFailure) -> UInt32 {
        guard index + 4 <= scalars.count,
            let value = UInt32(String(String.UnicodeScalarView(scalars[index..<index + 4])), radix: 16)
        else { throw error("Invalid \\uXXXX escape", at: index - 1) }
        index += 4
        return value
    }

    private mutating func parseNumber() -> JSONValue? {
        let start = index
        if current == "-" { index += 1 }
        guard let first = current, ("0"..."9").contains(first) else {
            index = start
            return nil
        }
        if first == "0" { index += 1 } else { skipDigits() }
        var isInteger = true
        if current == ".", index + 1 < scalars.count, ("0"..."9").contains(scalars[index + 1]) {
            isInteger = false
            index += 1
            skipDigits()
        }
        if current == "e" || current == "E" {
            let mark = index
            index += 1
            if current == "+" || current == "-" { index += 1 }
            if let digit = current, ("0"..."9").contains(digit) {
                isInteger = false
                skipDigits()
            } else {
                index = mark
            }
        }
        let text = String(String.UnicodeScalarView(scalars[start..<index]))
        if isInteger, let value = Int64(text) { return .int(value) }
        return .double(Double(text) ?? .nan)
    }

    private mutating func skipDigits() {
        while let scalar = current, ("0"..."9").contains(scalar) { index += 1 }
    }
}
