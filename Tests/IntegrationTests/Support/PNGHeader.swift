import Crypto
import Foundation

/// The size a PNG declares in its IHDR chunk, read from the first 24 bytes.
struct PNGHeader: Equatable, Sendable {
    var width: Int
    var height: Int

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// `nil` unless `data` starts with the PNG signature followed by an IHDR chunk.
    init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, Array(bytes[0..<8]) == Self.signature, Array(bytes[12..<16]) == Array("IHDR".utf8)
        else { return nil }
        func bigEndian(at offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        width = bigEndian(at: 16)
        height = bigEndian(at: 20)
    }
}

/// Lowercase hex SHA-256 of `data`, as the API reports image digests.
func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
