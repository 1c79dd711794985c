import DarkroomBackends
import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import Testing

/// Model affinity end to end: slots prefer queued jobs for what their backend has loaded.
@Suite(.timeLimit(.minutes(5))) struct AffinityTests {
    let fixture: WorkerFixture
    static let portrait = [LoRA(name: "AWPortrait-Z", strength: 1)]
    static let anime = [LoRA(name: "Anime-Z", strength: 1)]

    init() async throws {
        fixture = try await WorkerFixture()
    }

    static func affinity(_ loras: [LoRA]) -> ModelAffinity {
        GenerationRequest(prompt: "x", seed: 1, loras: loras).affinity
    }

    /// Submits `count` jobs alternating portrait / anime, runs two backends (one with each LoRA loaded, or
    /// neither), and returns the fraction of jobs that ran on the backend that had their LoRA.
    func matchedFraction(count: Int, withAffinity: Bool) async throws -> Double {
        let portraitGPU = ScriptedBackend(
            id: "gpu-portrait", loaded: withAffinity ? Self.affinity(Self.portrait) : nil, script: [])
        let animeGPU = ScriptedBackend(
            id: "gpu-anime", loaded: withAffinity ? Self.affinity(Self.anime) : nil, script: [])
        var jobs: [Job] = []
        for index in 0..<count {
            jobs.append(
                try await fixture.submit(
                    seed: Int64(index), loras: index.isMultiple(of: 2) ? Self.portrait : Self.anime))
        }
        var matched = 0
        try await fixture.whileRunning(fixture.pool([portraitGPU, animeGPU])) {
            for job in jobs {
                let done = try await fixture.waitFor(job.id) { $0.state.isTerminal }
                let wanted = job.request.loras == Self.portrait ? "gpu-portrait" : "gpu-anime"
                if done.backend == wanted { matched += 1 }
            }
        }
        return Double(matched) / Double(count)
    }

    @Test("a job for the LoRA loaded on backend B goes to B when B is free, ahead of older jobs")
    func loadedBackendTakesItsJob() async throws {
        let older = try await fixture.submit(seed: 1, loras: Self.portrait)
        let anime = try await fixture.submit(seed: 2, loras: Self.anime)
        let animeGPU = ScriptedBackend(id: "gpu-anime", loaded: Self.affinity(Self.anime), script: [])
        try await fixture.whileRunning(fixture.pool(animeGPU)) {
            let first = try await fixture.waitFor(anime.id) { $0.state.isTerminal }
            let second = try await fixture.waitFor(older.id) { $0.state.isTerminal }
            #expect(first.backend == "gpu-anime")
            let firstStart = try #require(first.startedAt)
            let secondStart = try #require(second.startedAt)
            #expect(firstStart <= secondStart)
        }
    }

    @Test("measured: with affinity nearly every job runs where its LoRA is loaded")
    func measuredMatchRate() async throws {
        let fraction = try await matchedFraction(count: 20, withAffinity: true)
        // Without affinity the two equal backends take jobs in submit order: about half match by chance.
        #expect(fraction >= 0.8, "matched \(fraction)")
    }
}
