import Foundation

/// JSON text written field by field, for the few API types written so often that `JSONEncoder` shows in the
/// profile (see ``Components/Schemas/Job/eventJSON``). The caller writes keys in sorted order, as the API's
/// encoder sorts them; strings are escaped as JSON requires, `/` left as it is.
struct CompactJSON {
    private(set) var bytes: [UInt8] = []
    /// Per object being written, innermost last: whether it has a field yet.
    private var objectHasFields: [Bool] = []

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes `{`, the fields `body` writes (``field(_:_:)``), then `}`.
    mutating func object(_ body: (inout CompactJSON) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        objectHasFields.append(false)
        body(&self)
        objectHasFields.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes `"key":` and the value `body` writes, in the object being written.
    mutating func field(_ key: StaticString, _ body: (inout CompactJSON) -> Void) {
        if objectHasFields[objectHasFields.count - 1] { bytes.append(UInt8(ascii: ",")) }
        objectHasFields[objectHasFields.count - 1] = true
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        body(&self)
    }

    /// Writes the field only when `value` is there.
    mutating func field<Value>(_ key: StaticString, _ value: Value?, _ body: (inout CompactJSON, Value) -> Void) {
        guard let value else { return }
        field(key) { body(&$0, value) }
    }

    /// Writes `[`, one value per element, then `]`.
    mutating func array<Element>(_ elements: [Element], _ value: (inout CompactJSON, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            value(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array(#"\u00"#.utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A timestamp as the API writes them (``MillisecondTimestamps``).
    mutating func timestamp(_ date: Date) { string(MillisecondTimestamps.string(from: date)) }

    mutating func integer(_ value: some BinaryInteger) { bytes.append(contentsOf: String(value).utf8) }

    /// A number in the shortest form that reads back the same (`0.7`, `1.0`, `1e-05`); JSON has no infinity
    /// or NaN, so those are written `null` (callers leave such fields out).
    mutating func number(_ value: Double) {
        bytes.append(contentsOf: (value.isFinite ? value.description : "null").utf8)
    }

    /// Text that is JSON already, copied as it is.
    mutating func raw(_ json: some StringProtocol) { bytes.append(contentsOf: json.utf8) }
}
