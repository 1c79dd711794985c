import AsyncHTTPClient
import DarkroomCore
import DarkroomSimulator
import Foundation
import Testing

@testable import DarkroomBackends

/// A1111Backend against the simulated SD WebUI over real HTTP.
@Suite(.timeLimit(.minutes(5))) struct A1111BackendEndToEndTests {
    static func backend(
        _ url: URL, _ client: HTTPClient,
        configuration: A1111Backend.Configuration = .init(progressInterval: .milliseconds(50))
    ) -> A1111Backend {
        A1111Backend(
            id: "forge-1", baseURL: url, httpClient: client, configuration: configuration,
            logger: SimulatorHarness.quietLogger)
    }

    @Test("a job returns the batch as real PNGs with the server's seeds, and progress rises")
    func succeeds() async throws {
        // 256×256, 16 steps, batch 2 at 48 s per megapixel-image: about 12 s, so several progress polls land
        // even when the machine is loaded by much else.
        try await SimulatorHarness.withServer(.init(protocol: .a1111, secondsPerImage: 48)) { url, client in
            // A progress poll may take long to be answered on a loaded machine: past the default 5 s it was given
            // up, and a run under stress-ng saw one step.
            let patient = A1111Backend.Configuration(
                connectTimeout: .seconds(120), probeTimeout: .seconds(120), progressInterval: .milliseconds(50))
            let backend = Self.backend(url, client, configuration: patient)
            let request = BackendTestFixtures.request(
                width: 256, height: 256, steps: 16, seed: 31, loras: [LoRA(name: "AWPortrait-Z", strength: 0.8)],
                batchSize: 2)
            #expect(backend.loadedAffinity == nil)
            let recorder = ProgressRecorder()
            let images = try await backend.generate(request) { await recorder.record($0) }
            #expect(images.map(\.seed) == [31, 32])
            for image in images {
                let header = try #require(try PNGReader(image.png).chunk("IHDR"))
                #expect(PNGReader.bigEndian(header.body, at: 0) == 256)
                #expect((image.width, image.height) == (256, 256))
            }
            let steps = await recorder.steps
            #expect(steps.count >= 2)
            #expect(steps == steps.sorted() && Set(steps).count == steps.count)
            #expect(steps.allSatisfy { (1...16).contains($0) })
            #expect(await recorder.reports.allSatisfy { $0.steps == 16 })
            #expect(backend.loadedAffinity == request.affinity)
        }
    }

    @Test("health reports the GPU's memory")
    func health() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .a1111, gpuMemoryBytes: 24 << 30)) { url, client in
            // What health reports, not how fast: a loaded machine may take seconds to answer.
            let patient = A1111Backend.Configuration(probeTimeout: .seconds(120))
            let health = await Self.backend(url, client, configuration: patient).health()
            #expect(health.isReachable)
            #expect(health.gpuMemory?.totalBytes == 24 << 30)
            #expect((health.gpuMemory?.usedBytes ?? -1) >= 0)
        }
    }

    @Test("cancelling the task interrupts the server's generation")
    func cancellation() async throws {
        // 1024×1024 at 200 steps is 200 s: a second job gets its turn within a minute only if the first was interrupted.
        try await SimulatorHarness.withServer(.init(protocol: .a1111, secondsPerImage: 8)) { url, client in
            let backend = Self.backend(url, client)
            let (running, runningSink) = AsyncStream<Void>.makeStream()
            let long = BackendTestFixtures.request(width: 1024, height: 1024, steps: 200)
            let task = Task { try await backend.generate(long) { _ in runningSink.yield() } }
            var iterator = running.makeAsyncIterator()
            _ = await iterator.next()
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(backend.loadedAffinity == nil)

            let next = Self.backend(url, client, configuration: .init(requestTimeout: .seconds(60)))
            let images = try await next.generate(BackendTestFixtures.request(width: 64, height: 64, steps: 1)) { _ in }
            #expect(images.count == 1)
        }
    }

    @Test("a CUDA out-of-memory is outOfMemory")
    func outOfMemory() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .a1111, secondsPerImage: 0, oomRate: 1)) { url, client in
            await #expect(throws: BackendError.outOfMemory) {
                try await Self.backend(url, client).generate(BackendTestFixtures.request()) { _ in }
            }
        }
    }

    @Test("an unknown sampler is refused with the server's message")
    func unknownSampler() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .a1111, secondsPerImage: 0)) { url, client in
            await #expect(throws: BackendError.rejected("Sampler not found")) {
                try await Self.backend(url, client).generate(BackendTestFixtures.request(sampler: "No Such Sampler")) {
                    _ in
                }
            }
        }
    }

    @Test("a stopped server is unavailable, and unhealthy")
    func stoppedServer() async throws {
        let url = try await SimulatorHarness.stoppedServerURL(.init(protocol: .a1111))
        try await SimulatorHarness.withClient { client in
            let backend = Self.backend(url, client)
            await #expect {
                try await backend.generate(BackendTestFixtures.request()) { _ in }
            } throws: { error in
                guard case .unavailable = error as? BackendError else { return false }
                return true
            }
            let health = await backend.health()
            #expect(!health.isReachable)
            #expect(health.problem != nil)
        }
    }
}
