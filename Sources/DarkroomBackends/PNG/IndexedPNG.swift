import CompressNIO
import Foundation
import NIOCore

/// Writes 8-bit palette PNGs (colour type 3).
///
/// A palette image splits what is expensive from what varies: the compressed pixel indices depend only on
/// the size and are made once per size, while the 256-colour palette is cheap and can change per image.
enum IndexedPNG {
    /// The zlib-compressed image data (filter byte 0 + indices, row by row) for the IDAT chunk.
    ///
    /// - Parameter row: the `width` palette indices of row `y`.
    static func compressedIndices(width: Int, height: Int, row: (Int) -> [UInt8]) throws -> Data {
        var raw = ByteBufferAllocator().buffer(capacity: (width + 1) * height)
        for y in 0..<height {
            raw.writeInteger(UInt8(0))
            raw.writeBytes(row(y))
        }
        let compressed = try raw.compress(with: .zlib())
        return Data(compressed.readableBytesView)
    }

    /// A complete PNG file from a palette of up to 256 RGB colours and pre-compressed indices.
    static func encode(width: Int, height: Int, palette: [(UInt8, UInt8, UInt8)], compressedIndices: Data) -> Data {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 3, 0, 0, 0])  // bit depth 8, palette, deflate, adaptive filter, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("PLTE", Data(palette.flatMap { [$0.0, $0.1, $0.2] }), to: &png)
        appendChunk("IDAT", compressedIndices, to: &png)
        appendChunk("IEND", Data(), to: &png)
        return png
    }

    private static func appendChunk(_ type: String, _ body: Data, to png: inout Data) {
        let typeBytes = Data(type.utf8)
        png.appendBigEndian(UInt32(body.count))
        png.append(typeBytes)
        png.append(body)
        png.appendBigEndian(CRC32.checksum(body, startingWith: CRC32.checksum(typeBytes)))
    }
}

extension Data {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }
}
