import Foundation

/// Decodes a response body as a JSON object, for asserting the exact shapes of third-party protocols.
func jsonObject(_ data: Data) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw NotAnObject(text: String(decoding: data, as: UTF8.self))
    }
    return object
}

/// A body that was JSON but not an object.
struct NotAnObject: Error, CustomStringConvertible {
    var text: String
    var description: String { "not a JSON object: \(text)" }
}

/// A `[String: Any]` as JSON bytes, for request bodies.
func jsonBody(_ object: [String: Any]) throws -> Data {
    try JSONSerialization.data(withJSONObject: object)
}
