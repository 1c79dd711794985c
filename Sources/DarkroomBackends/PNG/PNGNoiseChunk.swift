import Foundation
import Synchronization

/// A private ancillary PNG chunk (`daRk`) of incompressible noise that makes a small PNG as big as a real one.
///
/// The chunk type's letter cases say ancillary, private and safe to copy, so every decoder skips it and the
/// picture is unchanged. The noise is made once per size from a fixed seed (the same bytes in every process)
/// and its CRC computed once, so padding an image costs one copy.
enum PNGNoiseChunk {
    static let type = Array("daRk".utf8)
    /// Length, type and CRC: what a chunk adds around its data.
    static let overhead = 12

    private static let chunks = Mutex<[Int: Data]>([:])

    /// `png` with a noise chunk inserted before its final `IEND` chunk, `size` bytes long in all (12 more when the
    /// gap is smaller than a chunk); unchanged when it is already that long or does not end in `IEND`.
    static func padded(_ png: Data, to size: Int) -> Data {
        let iendLength = 12
        // A gap smaller than a chunk's own overhead gets an empty chunk: at least `size` bytes in all.
        let dataLength = max(0, size - png.count - overhead)
        guard size > png.count, png.count >= 8 + iendLength,
            png[png.index(png.endIndex, offsetBy: -8)..<png.index(png.endIndex, offsetBy: -4)].elementsEqual(
                "IEND".utf8)
        else { return png }
        var padded = Data(capacity: size)
        padded.append(png.prefix(png.count - iendLength))
        padded.append(chunk(dataLength: dataLength))
        padded.append(png.suffix(iendLength))
        return padded
    }

    /// The whole chunk (length, type, noise, CRC) for `dataLength` bytes of noise, cached per length.
    static func chunk(dataLength: Int) -> Data {
        if let cached = chunks.withLock({ $0[dataLength] }) { return cached }
        var generator = SplitMix64(seed: 0x6461_526B)
        var noise = [UInt8](repeating: 0, count: dataLength)
        noise.withUnsafeMutableBytes { buffer in
            let words = buffer.count / 8
            for index in 0..<words {
                buffer.storeBytes(of: generator.next(), toByteOffset: index * 8, as: UInt64.self)
            }
            for offset in (words * 8)..<buffer.count { buffer[offset] = UInt8(truncatingIfNeeded: generator.next()) }
        }
        var chunk = Data(capacity: dataLength + overhead)
        chunk.appendBigEndian(UInt32(dataLength))
        chunk.append(contentsOf: type)
        chunk.append(contentsOf: noise)
        chunk.appendBigEndian(CRC32.checksum(noise, startingWith: CRC32.checksum(type)))
        chunks.withLock { cache in
            // Sizes are few (one per configured size); keep the cache from growing without bound all the same.
            if cache.count >= 8 { cache.removeAll() }
            cache[dataLength] = chunk
        }
        return chunk
    }
}
