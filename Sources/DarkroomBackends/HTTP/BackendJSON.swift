import Foundation

/// A JSON value as inference servers send and receive it: ComfyUI graphs, and answers read defensively.
///
/// Integers stay integers (`int`), so seeds round-trip exactly: ComfyUI wants seeds as JSON integers, and a
/// `Double` would lose bits above 2^53. A number written `1.0` decodes as `int(1)`; servers coerce numbers to the
/// input's type, so that is harmless. Accessors return `nil` for the wrong kind instead of trapping, because
/// server data is never trusted.
public enum BackendJSON: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([BackendJSON])
    case object([String: BackendJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([BackendJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: BackendJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses `data`, or returns `nil` when it is not JSON.
    public static func parse(_ data: Data) -> BackendJSON? {
        try? JSONDecoder().decode(BackendJSON.self, from: data)
    }

    /// Compact JSON with sorted keys, so the same value always gives the same bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of plain values cannot fail except for non-finite doubles, which JSON cannot hold.
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }
}

extension BackendJSON {
    /// The member `key` of an object; `nil` for a missing key or a value that is not an object.
    public subscript(key: String) -> BackendJSON? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    public subscript(index: Int) -> BackendJSON? {
        if case .array(let elements) = self, elements.indices.contains(index) { elements[index] } else { nil }
    }

    /// The text of a string; `nil` for other kinds.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// An integer, also from an integral double (`3.0`); `nil` for fractions, other kinds and out-of-range values.
    public var int64Value: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value: Int64(exactly: value)
        default: nil
        }
    }

    /// Any number as a double.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// A boolean; `nil` for other kinds (no truthiness).
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The elements of an array; `nil` for other kinds.
    public var arrayValue: [BackendJSON]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The members of an object; `nil` for other kinds.
    public var objectValue: [String: BackendJSON]? {
        if case .object(let value) = self { value } else { nil }
    }

    /// Whether this is JSON `null`.
    public var isNull: Bool { self == .null }
}
