import DarkroomBackends
import DarkroomCore
import Foundation

/// Renders the simulated servers' PNGs with ``DarkroomBackends/SimulatedBackend``'s renderer.
///
/// The renderer itself is internal to DarkroomBackends, so this asks a zero-time simulated GPU for a
/// one-step generation: the same pixels (seeded radial gradient) with no simulated delay.
struct ImageRenderer: Sendable {
    private let backend: SimulatedBackend<ContinuousClock>

    /// A renderer of PNGs padded to `pngBytes` each (`nil`: the small gradient as it is).
    init(pngBytes: Int? = nil) {
        backend = SimulatedBackend(id: "renderer", configuration: .init(secondsPerImage: 0, pngBytes: pngBytes))
    }

    /// `count` PNGs of `width`×`height` with seeds `firstSeed`, `firstSeed + 1`, ….
    func pngs(width: Int, height: Int, firstSeed: Int64, count: Int) async throws -> [Data] {
        guard count > 0 else { return [] }
        let request = GenerationRequest(
            prompt: "", width: width, height: height, steps: 1, seed: firstSeed, batchSize: count)
        return try await backend.generate(request, progress: { _ in }).map(\.png)
    }
}
