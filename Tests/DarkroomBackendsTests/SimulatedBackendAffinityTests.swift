import DarkroomBackends
import DarkroomCore
import Testing

/// The simulated GPU remembers what it ran last and charges a switch for anything else.
@Suite struct SimulatedBackendAffinityTests {
    let backend = SimulatedBackend(
        id: "sim-0", configuration: .init(secondsPerImage: 0, modelSwitchSeconds: 4))
    let portrait = GenerationRequest(prompt: "a", width: 64, height: 64, seed: 1)
    let anime = GenerationRequest(prompt: "b", width: 64, height: 64, seed: 2, loras: [LoRA(name: "Anime-Z")])

    @Test("nothing is loaded before the first job, and the first job pays no switch")
    func coldStart() {
        #expect(backend.loadedAffinity == nil)
        #expect(backend.switchTime(for: anime) == .zero)
    }

    @Test("after a job, its model and LoRAs are loaded: the same costs nothing, another costs the switch")
    func switchCost() async throws {
        _ = try await backend.generate(portrait) { _ in }
        #expect(backend.loadedAffinity == portrait.affinity)
        #expect(backend.switchTime(for: portrait) == .zero)
        #expect(backend.switchTime(for: anime) == .seconds(4))
        var stronger = portrait
        stronger.loras = [LoRA(name: "AWPortrait-Z", strength: 0.5)]
        #expect(backend.switchTime(for: stronger) == .zero, "a strength change loads no file")
    }
}
