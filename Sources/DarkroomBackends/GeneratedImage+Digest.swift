import Crypto
import DarkroomCore
import Foundation

extension GeneratedImage {
    /// Lowercase hex SHA-256 of the PNG bytes, as the job's result records it.
    public var sha256: String {
        SHA256.hash(data: png).lowercaseHex
    }
}
