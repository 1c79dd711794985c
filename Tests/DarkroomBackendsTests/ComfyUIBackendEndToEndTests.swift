import AsyncHTTPClient
import DarkroomCore
import DarkroomSimulator
import Foundation
import Testing

@testable import DarkroomBackends

/// ComfyUIBackend against the simulated ComfyUI over real HTTP and WebSocket.
@Suite(.timeLimit(.minutes(5))) struct ComfyUIBackendEndToEndTests {
    /// The socket may take 2 minutes to open: with the default 5 s a loaded machine has followed a job by history
    /// alone, so the tests that wait for progress never saw any.
    static func backend(
        _ url: URL, _ client: HTTPClient,
        configuration: ComfyUIBackend.Configuration = .init(
            connectTimeout: .seconds(120), historyPollInterval: .milliseconds(200))
    ) -> ComfyUIBackend {
        ComfyUIBackend(
            id: "comfy-1", baseURL: url, httpClient: client, configuration: configuration,
            logger: SimulatorHarness.quietLogger)
    }

    @Test("a job returns the batch as real PNGs, and WebSocket progress rises")
    func succeeds() async throws {
        // About 12 s of work, 1.5 s a step: a loaded machine still connects the WebSocket before most steps.
        try await SimulatorHarness.withServer(.init(protocol: .comfyui, secondsPerImage: 96)) { url, client in
            let backend = Self.backend(url, client)
            let request = BackendTestFixtures.request(
                width: 256, height: 256, steps: 8, seed: 77, loras: [LoRA(name: "AWPortrait-Z", strength: 1)],
                batchSize: 2)
            #expect(backend.loadedAffinity == nil)
            let recorder = ProgressRecorder()
            let images = try await backend.generate(request) { await recorder.record($0) }
            // One KSampler seed for the whole batch: the images differ by batch index, not by seed.
            #expect(images.map(\.seed) == [77, 77])
            for image in images {
                let header = try #require(try PNGReader(image.png).chunk("IHDR"))
                #expect(PNGReader.bigEndian(header.body, at: 4) == 256)
                #expect((image.width, image.height) == (256, 256))
            }
            #expect(images[0].png != images[1].png)
            let steps = await recorder.steps
            #expect(steps.count >= 2)
            #expect(steps == steps.sorted() && Set(steps).count == steps.count)
            #expect(steps.allSatisfy { (1...8).contains($0) })
            #expect(backend.loadedAffinity == request.affinity)
        }
    }

    @Test("health reports the GPU's memory")
    func health() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .comfyui, gpuMemoryBytes: 16 << 30)) { url, client in
            // What health reports, not how fast: a loaded machine may take seconds to answer.
            let patient = ComfyUIBackend.Configuration(probeTimeout: .seconds(120))
            let health = await Self.backend(url, client, configuration: patient).health()
            #expect(health.isReachable)
            #expect(health.gpuMemory?.totalBytes == 16 << 30)
        }
    }

    @Test("cancelling the task interrupts the running prompt")
    func cancellation() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .comfyui, secondsPerImage: 8)) { url, client in
            let backend = Self.backend(url, client)
            let (running, runningSink) = AsyncStream<Void>.makeStream()
            // 200 s on the simulated GPU: the next prompt can only be done within a minute if this one stopped.
            let long = BackendTestFixtures.request(width: 1024, height: 1024, steps: 200)
            let task = Task { try await backend.generate(long) { _ in runningSink.yield() } }
            var iterator = running.makeAsyncIterator()
            _ = await iterator.next()
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(backend.loadedAffinity == nil)

            // The server runs one prompt at a time: this one finishes in time only if the first was interrupted.
            let next = Self.backend(url, client)
            let images = try await SimulatorHarness.withDeadline(.seconds(60)) {
                try await next.generate(BackendTestFixtures.request(width: 64, height: 64, steps: 1)) { _ in }
            }
            #expect(images.count == 1)
        }
    }

    @Test("a CUDA out-of-memory during execution is outOfMemory")
    func outOfMemory() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .comfyui, secondsPerImage: 0, oomRate: 1)) {
            url, client in
            await #expect(throws: BackendError.outOfMemory) {
                try await Self.backend(url, client).generate(BackendTestFixtures.request()) { _ in }
            }
        }
    }

    @Test("an unknown LoRA is refused with the node's message")
    func unknownLoRA() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .comfyui, secondsPerImage: 0)) { url, client in
            let request = BackendTestFixtures.request(loras: [LoRA(name: "nope", strength: 1)])
            await #expect {
                try await Self.backend(url, client).generate(request) { _ in }
            } throws: { error in
                guard case .rejected(let message) = error as? BackendError else { return false }
                return message.hasPrefix(
                    "LoraLoaderModelOnly (node 4): Value not in list: lora_name: 'nope.safetensors'")
            }
        }
    }

    @Test("a stopped server is unavailable, and unhealthy")
    func stoppedServer() async throws {
        let url = try await SimulatorHarness.stoppedServerURL(.init(protocol: .comfyui))
        try await SimulatorHarness.withClient { client in
            let backend = Self.backend(url, client)
            await #expect {
                try await backend.generate(BackendTestFixtures.request()) { _ in }
            } throws: { error in
                guard case .unavailable = error as? BackendError else { return false }
                return true
            }
            #expect(await !backend.health().isReachable)
        }
    }
}
