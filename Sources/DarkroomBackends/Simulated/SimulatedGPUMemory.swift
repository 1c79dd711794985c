/// A simulated GPU's memory (the built-in simulated backend and `darkroom sim-backend`): the loaded model stays resident, and a run needs working memory that grows
/// with pixels and batch size. A run that would not fit is a real (not injected) out-of-memory error.
package struct SimulatedGPUMemory: Sendable {
    package static let gibibyte: Int64 = 1 << 30

    package init(total: Int64) {
        self.total = total
    }

    /// The card's memory in bytes.
    package let total: Int64

    /// Weights kept on the GPU between runs (Z-Image-Turbo in bf16 is about 12 GiB).
    package var resident: Int64 { min(total / 2, 12 * Self.gibibyte + Self.gibibyte / 2) }

    /// Working memory a run of `batchSize` images of `width`×`height` needs: 1 GiB per megapixel image,
    /// plus half a GiB. Sizes no card could hold (a client may send any) saturate at `Int64.max`.
    package func working(width: Int, height: Int, batchSize: Int) -> Int64 {
        let megapixels = Double(width) * Double(height) / (1024 * 1024)
        return Self.bytes(Double(Self.gibibyte) * megapixels * Double(batchSize) + Double(Self.gibibyte / 2))
    }

    /// Whether such a run fits next to the resident model.
    package func fits(width: Int, height: Int, batchSize: Int) -> Bool {
        fits(bytes: working(width: width, height: height, batchSize: batchSize))
    }

    /// Whether an allocation of `bytes` fits next to the resident model.
    package func fits(bytes: Int64) -> Bool { bytes <= total - resident }

    /// Bytes in use: the resident model, plus `working` while a run is in progress.
    package func used(working: Int64?) -> Int64 { resident + min(total - resident, max(0, working ?? 0)) }

    /// `bytes` as an integer, clamped to `0...Int64.max` (NaN is 0), so no size converts with a trap.
    package static func bytes(_ bytes: Double) -> Int64 {
        guard bytes > 0 else { return 0 }
        return bytes < 0x1p63 ? Int64(bytes) : .max
    }
}
