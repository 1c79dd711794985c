import Foundation

/// The size a PNG declares in its IHDR chunk, read after checking the bytes really are a PNG.
///
/// Servers may send JPEG or WebP (A1111's `samples_format` option), so the magic bytes are checked before
/// anything is labelled PNG; a wrong format names itself in the error, so the operator knows what to change.
struct PNGHeader: Sendable, Equatable {
    var width: Int
    var height: Int

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads the header of `data`.
    ///
    /// - Parameters:
    ///   - label: names the image in the error, e.g. "image 2".
    ///   - formatHint: added after a wrong-format error, e.g. how to make the server send PNG.
    /// - Throws: ``BackendError/badResponse(_:)`` when `data` is not a PNG with a sane IHDR.
    init(validating data: Data, label: String, formatHint: String = "") throws {
        let bytes = [UInt8](data.prefix(32))
        guard bytes.starts(with: Self.signature) else {
            let found = Self.formatName(of: bytes).map { "\(label) is \($0), not PNG" } ?? "\(label) is not a PNG"
            throw BackendError.badResponse(formatHint.isEmpty ? found : "\(found): \(formatHint)")
        }
        guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw BackendError.badResponse("\(label) is a PNG without an IHDR header")
        }
        let width = Self.bigEndian(bytes, at: 16)
        let height = Self.bigEndian(bytes, at: 20)
        guard width > 0, height > 0 else {
            throw BackendError.badResponse("\(label) is a PNG of size \(width)×\(height)")
        }
        self.width = width
        self.height = height
    }

    /// Names the formats servers are known to send instead of PNG.
    static func formatName(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "JPEG" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "WebP"
        }
        if bytes.starts(with: Array("GIF8".utf8)) { return "GIF" }
        return nil
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> Int {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
    }
}
