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

    /// Submits `count` jobs alternating portrait / anime, runs them on two backends (one with each LoRA loaded),
    /// and returns them finished.
    func runAlternating(count: Int) async throws -> [Job] {
        let portraitGPU = ScriptedBackend(id: "gpu-portrait", loaded: Self.affinity(Self.portrait), script: [])
        let animeGPU = ScriptedBackend(id: "gpu-anime", loaded: Self.affinity(Self.anime), script: [])
        var jobs: [Job] = []
        for index in 0..<count {
            jobs.append(
                try await fixture.submit(
                    seed: Int64(index), loras: index.isMultiple(of: 2) ? Self.portrait : Self.anime))
        }
        var finished: [Job] = []
        // A job may be passed over for affinity only within the window; on a loaded machine the jobs can be older
        // than the default 30 s before the pool starts, so the window here outlasts the test.
        var configuration = WorkerFixture.configuration()
        configuration.affinityWindow = .seconds(3600)
        try await fixture.whileRunning(fixture.pool([portraitGPU, animeGPU], configuration: configuration)) {
            for job in jobs { finished.append(try await fixture.waitFor(job.id) { $0.state.isTerminal }) }
        }
        return finished
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

    @Test("a job runs on the other backend only when none of that backend's own jobs was waiting")
    func jobsGoWhereTheirLoRAIsLoaded() async throws {
        let jobs = try await runAlternating(count: 20)
        let ownLoRA = ["gpu-portrait": Self.portrait, "gpu-anime": Self.anime]
        for job in jobs {
            let backend = try #require(job.backend)
            guard job.request.loras != ownLoRA[backend] else { continue }
            // Claims are one at a time: when this job was taken, every job for the backend's own LoRA had been.
            let start = try #require(job.startedAt)
            let waiting = jobs.filter {
                $0.request.loras == ownLoRA[backend] && $0.startedAt.map { $0 > start } ?? true
            }
            #expect(waiting.isEmpty, "\(job.id) ran on \(backend) while \(waiting.count) of its own jobs waited")
        }
        // Each backend took its own LoRA's jobs first, so the first two started where their LoRA is loaded.
        let firstTwo = jobs.sorted { ($0.startedAt ?? .distantFuture) < ($1.startedAt ?? .distantFuture) }.prefix(2)
        #expect(firstTwo.allSatisfy { $0.request.loras == ownLoRA[$0.backend ?? ""] })
    }
}
