import Foundation

/// A minimal PNG chunk reader for the tests, written apart from the encoder so it can catch the encoder's mistakes.
struct PNGReader {
    /// One chunk as stored: its type, its body and the CRC written after it.
    struct Chunk {
        let type: String
        let body: [UInt8]
        let storedCRC: UInt32

        /// The CRC the chunk should carry: CRC-32 over the type bytes and the body.
        var computedCRC: UInt32 { BitwiseCRC32.checksum(Array(type.utf8) + body) }
    }

    enum ReadError: Error {
        case badSignature
        case truncated(offset: Int)
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    let chunks: [Chunk]

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.starts(with: Self.signature) else { throw ReadError.badSignature }
        var offset = Self.signature.count
        var chunks: [Chunk] = []
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw ReadError.truncated(offset: offset) }
            let length = Int(Self.bigEndian(bytes, at: offset))
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            let bodyStart = offset + 8
            guard bodyStart + length + 4 <= bytes.count else { throw ReadError.truncated(offset: offset) }
            chunks.append(
                Chunk(
                    type: String(decoding: typeBytes, as: UTF8.self),
                    body: Array(bytes[bodyStart..<(bodyStart + length)]),
                    storedCRC: Self.bigEndian(bytes, at: bodyStart + length)
                ))
            offset = bodyStart + length + 4
        }
        self.chunks = chunks
    }

    /// The first chunk of `type`, if any.
    func chunk(_ type: String) -> Chunk? { chunks.first { $0.type == type } }

    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
