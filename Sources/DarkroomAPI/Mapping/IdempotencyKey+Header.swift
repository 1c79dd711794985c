import Crypto
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes

extension IdempotencyKey {
    /// The longest key accepted.
    static let maximumLength = 255

    /// The key of an `Idempotency-Key` header, with the fingerprint of `body`: a SHA-256 of the request as
    /// decoded and re-encoded with sorted keys, so spacing and key order do not make two requests differ.
    ///
    /// - Throws: a 422 ``Problem`` (`invalid_parameter`) for an empty, overlong or non-ASCII key.
    init(header: String, body: Components.Schemas.JobRequest) throws {
        guard (1...Self.maximumLength).contains(header.utf8.count),
            header.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            throw Problem(
                .unprocessableContent, .invalidParameter,
                detail: "Idempotency-Key must be 1–\(Self.maximumLength) visible ASCII characters",
                field: "Idempotency-Key")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let digest = SHA256.hash(data: try encoder.encode(body))
        self.init(key: header, fingerprint: digest.lowercaseHex)
    }
}
