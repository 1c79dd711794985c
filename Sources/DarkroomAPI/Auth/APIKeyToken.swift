import Crypto
import DarkroomCore
import Foundation

/// An API key as a client presents it: `dr_<id>_<secret>`, 12 hex digits of public id and 64 of secret.
///
/// The id finds the stored key; only the SHA-256 of the secret is stored, and a presented secret is compared
/// with it in constant time. The secret is 256 random bits, so a plain hash needs no salt or stretching.
public struct APIKeyToken: Sendable {
    /// The key's public id (``APIKey/id``).
    public let id: String
    private let secret: String

    /// A new key from the system's secure random source.
    public static func generate() -> APIKeyToken {
        var random = SystemRandomNumberGenerator()
        let id = (0..<6).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        return APIKeyToken(id: id.lowercaseHex, secret: secret.lowercaseHex)
    }

    /// The token in `text`, or `nil` when it does not have the key's shape.
    public init?(parsing text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "dr", parts[1].utf8.count == 12, parts[2].utf8.count == 64,
            parts[1].allSatisfy(\.isHexDigit), parts[2].allSatisfy(\.isHexDigit)
        else { return nil }
        self.init(id: String(parts[1]).lowercased(), secret: String(parts[2]).lowercased())
    }

    private init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// The whole key, as the client sends it. Shown once, when the key is made.
    public var text: String { "dr_\(id)_\(secret)" }

    /// The hex SHA-256 of the secret: what the store keeps.
    public var secretHash: String { Self.hash(secret) }

    /// Whether the secret hashes to `storedHash`, compared in time independent of where they differ.
    func matches(storedHash: String) -> Bool {
        let presented = Array(secretHash.utf8)
        let stored = Array(storedHash.utf8)
        guard presented.count == stored.count else { return false }
        var difference: UInt8 = 0
        for index in presented.indices { difference |= presented[index] ^ stored[index] }
        return difference == 0
    }

    private static func hash(_ secret: String) -> String { SHA256.hash(data: Data(secret.utf8)).lowercaseHex }
}
