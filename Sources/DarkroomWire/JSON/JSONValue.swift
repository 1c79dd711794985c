/// A JSON document as the simulated servers see it: objects keep their key order and numbers keep
/// whether they were written as integers, as Python's `json` module does.
///
/// Both real servers are Python, so key order (ComfyUI walks a graph in the order its nodes were written)
/// and the integer/float distinction (`1` versus `1.0`) are part of the protocol's observable behaviour.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The object's members, or `nil` for any other value.
    package var object: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The array's elements, or `nil` for any other value.
    package var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The string, or `nil` for any other value.
    package var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number as a `Double` (integers widen), or `nil` for anything else.
    package var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The value of member `key` when this is an object.
    package subscript(key: String) -> JSONValue? {
        object?[key]
    }
}

/// A JSON object whose members keep the order they were written or added in.
package struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    package private(set) var members: [(key: String, value: JSONValue)] = []
    /// Each key's index in `members`, so a large object (a graph of many nodes) is not searched linearly.
    private var positions: [String: Int] = [:]

    package init() {}

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (key, value) in elements { self[key] = value }
    }

    package var keys: [String] { members.map(\.key) }
    package var isEmpty: Bool { members.isEmpty }
    package var count: Int { members.count }

    /// Reading finds a member by key; writing replaces it in place or appends it (`nil` removes it).
    package subscript(key: String) -> JSONValue? {
        get { positions[key].map { members[$0].value } }
        set {
            switch (positions[key], newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil):
                members.remove(at: index)
                positions[key] = nil
                for later in index..<members.count { positions[members[later].key] = later }
            case (nil, let value?):
                positions[key] = members.count
                members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .int(value) }
    package init(floatLiteral value: Double) { self = .double(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(nilLiteral: ()) { self = .null }

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSONValue {
    /// An integer value from any Swift integer.
    package static func integer(_ value: some BinaryInteger) -> JSONValue { .int(Int64(value)) }

    /// An array of strings.
    package static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// A string, or `null` when `value` is `nil`.
    package static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}
