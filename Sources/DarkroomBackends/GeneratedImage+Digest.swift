import Crypto
import Foundation

extension GeneratedImage {
    /// Lowercase hex SHA-256 of the PNG bytes, as the job's result records it.
    public var sha256: String {
        SHA256.hash(data: png).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
