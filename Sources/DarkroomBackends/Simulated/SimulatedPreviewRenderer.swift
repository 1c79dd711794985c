import DarkroomCore
import Foundation

/// The simulated GPU's previews: its final image, small, under noise that fades with each step, so a watcher
/// sees the picture sharpen towards the one the job returns (same seed, same colours).
public enum SimulatedPreviewRenderer {
    /// The long side of a simulated preview (well under ``JobPreview/maxSide``).
    public static let longSide = 128

    /// A PNG of `width`×`height` scaled to ``longSide``, as it looks at `step` of `steps`.
    public static func png(width: Int, height: Int, seed: Int64, step: Int, steps: Int) throws -> Data {
        let scale = Double(longSide) / Double(max(width, height, 1))
        let previewWidth = max(1, Int((Double(width) * scale).rounded()))
        let previewHeight = max(1, Int((Double(height) * scale).rounded()))
        let noise = 1 - Double(min(max(step, 0), steps)) / Double(max(steps, 1))
        var generator = SplitMix64(seed: UInt64(bitPattern: seed) ^ UInt64(step))
        let centreX = Double(previewWidth) / 2
        let centreY = Double(previewHeight) * 0.42
        let reach = Double(previewWidth * previewWidth + previewHeight * previewHeight).squareRoot() * 0.6
        let indices = try IndexedPNG.compressedIndices(width: previewWidth, height: previewHeight) { y in
            let dy = Double(y) - centreY
            return (0..<previewWidth).map { x in
                let dx = Double(x) - centreX
                let clean = min(255, (dx * dx + dy * dy).squareRoot() / reach * 255)
                // A blend, not added grain: clamping would turn strong noise into flat black and white.
                return UInt8(clean * (1 - noise) + Double(generator.next() % 256) * noise)
            }
        }
        return IndexedPNG.encode(
            width: previewWidth, height: previewHeight, palette: SimulatedImageRenderer.palette(seed: seed),
            compressedIndices: indices)
    }
}
