import Foundation
import Synchronization

/// Renders the simulator's PNGs: a radial "portrait lighting" gradient whose colours come from the seed.
///
/// The compressed pixel data depends only on the size and is cached per size, so an image costs the host
/// one palette and a few checksums. The same seed and size always give the same bytes.
///
/// A real server answers a 1024×1024 portrait with a PNG of about 1.5 MB (2.6 MB from random weights' noise),
/// while the gradient compresses to a few kilobytes. `paddedTo` makes the file that big with a chunk of
/// incompressible noise (``PNGNoiseChunk``), so what handles the PNG (base64, JSON, hashing, disk) costs what it
/// costs with a real image; decoders skip the chunk.
final class SimulatedImageRenderer: Sendable {
    private struct Size: Hashable {
        let width: Int
        let height: Int
    }

    /// One renderer for the process, so every simulated GPU shares the per-size cache.
    static let shared = SimulatedImageRenderer()

    private let cache = Mutex<[Size: Data]>([:])

    /// The PNG for `seed`; at least `paddedTo` bytes long when given.
    func png(width: Int, height: Int, seed: Int64, paddedTo size: Int? = nil) throws -> Data {
        let png = IndexedPNG.encode(
            width: width, height: height, palette: Self.palette(seed: seed),
            compressedIndices: try indices(width: width, height: height)
        )
        guard let size, size > png.count else { return png }
        return PNGNoiseChunk.padded(png, to: size)
    }

    private func indices(width: Int, height: Int) throws -> Data {
        let size = Size(width: width, height: height)
        if let cached = cache.withLock({ $0[size] }) { return cached }
        // Distance from a point a little above the centre, where a portrait's face would be, computed per
        // 4×4 block: a smooth enough gradient at a sixteenth of the work.
        let block = 4
        let centreX = Double(width) / 2
        let centreY = Double(height) * 0.42
        let reach = (Double(width * width + height * height)).squareRoot() * 0.6
        var rows: [Int: [UInt8]] = [:]
        let data = try IndexedPNG.compressedIndices(width: width, height: height) { y in
            let blockY = y / block
            if let row = rows[blockY] { return row }
            let dy = Double(blockY * block) - centreY
            var row = [UInt8](repeating: 0, count: width)
            for blockX in stride(from: 0, to: width, by: block) {
                let dx = Double(blockX) - centreX
                let value = UInt8(min(255, (dx * dx + dy * dy).squareRoot() / reach * 255))
                for x in blockX..<min(width, blockX + block) { row[x] = value }
            }
            rows = [blockY: row]
            return row
        }
        cache.withLock { $0[size] = data }
        return data
    }

    /// 256 colours blending from a light seed colour at the centre to a dark one at the edge.
    static func palette(seed: Int64) -> [(UInt8, UInt8, UInt8)] {
        var generator = SplitMix64(seed: UInt64(bitPattern: seed))
        let light = (0..<3).map { _ in 140 + Double(generator.next() % 116) }
        let dark = (0..<3).map { _ in Double(generator.next() % 90) }
        return (0..<256).map { index in
            let t = Double(index) / 255
            let channel = { (i: Int) in UInt8(light[i] + (dark[i] - light[i]) * t) }
            return (channel(0), channel(1), channel(2))
        }
    }
}

/// A tiny deterministic generator, so a seed always gives the same colours on every platform.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
