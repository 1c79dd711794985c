import DarkroomCore
import Foundation

/// What a server's preview image is, read from its first bytes: PNG or JPEG, and its size, so a preview too big
/// for an event (``JobPreview/maxSide``) is dropped without decoding it.
public struct PreviewImageFormat: Sendable, Equatable {
    /// `image/png` or `image/jpeg`.
    public var mediaType: String
    public var width: Int
    public var height: Int

    public init(mediaType: String, width: Int, height: Int) {
        self.mediaType = mediaType
        self.width = width
        self.height = height
    }

    /// `nil` when `data` is neither a PNG nor a JPEG whose size can be read.
    public init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(64 * 1024))
        if let size = Self.pngSize(bytes) {
            (mediaType, width, height) = ("image/png", size.width, size.height)
        } else if let size = Self.jpegSize(bytes) {
            (mediaType, width, height) = ("image/jpeg", size.width, size.height)
        } else {
            return nil
        }
    }

    /// Whether the image fits an event: at most ``JobPreview/maxSide`` pixels on its long side.
    public var fitsAnEvent: Bool { max(width, height) <= JobPreview.maxSide && min(width, height) > 0 }

    /// The IHDR chunk's width and height, right after the signature.
    private static func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8)
        else { return nil }
        return (bigEndian(bytes, at: 16, count: 4), bigEndian(bytes, at: 20, count: 4))
    }

    /// The first start-of-frame segment's size (baseline or progressive), walking the segments from SOI.
    private static func jpegSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 9 < bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            let length = bigEndian(bytes, at: offset + 2, count: 2)
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                return (bigEndian(bytes, at: offset + 7, count: 2), bigEndian(bytes, at: offset + 5, count: 2))
            }
            offset += 2 + length
        }
        return nil
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> Int {
        bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
    }
}
