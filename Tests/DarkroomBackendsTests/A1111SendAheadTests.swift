import AsyncHTTPClient
import DarkroomCore
import DarkroomSimulator
import Foundation
import NIOCore
import Testing

@testable import DarkroomBackends

/// A1111 requests handed over early (issue 14): sent at once, they wait at WebUI's queue lock and start when the
/// running request ends; a request on the server is never abandoned, and an interrupt only reaches its own request.
@Suite(.timeLimit(.minutes(5))) struct A1111SendAheadTests {
    typealias HeldTurn = ServerTurnTests.HeldTurn

    /// A 1024×1024 request of `steps` steps, which the simulator runs in `steps / 8 × secondsPerImage`.
    static func request(steps: Int = 8, seed: Int64 = 1) -> GenerationRequest {
        BackendTestFixtures.request(width: 1024, height: 1024, steps: steps, seed: seed)
    }

    /// Starts `request` on its own and returns once the server reports it running.
    static func startRunning(
        _ backend: A1111Backend, _ request: GenerationRequest
    ) async -> Task<BackendAnswer, any Error> {
        let (running, runningSink) = AsyncStream<Void>.makeStream()
        let task = Task {
            defer { runningSink.finish() }
            return try await backend.run(request, turn: .now) { _ in runningSink.yield() }
        }
        for await _ in running { break }
        return task
    }

    @Test("a request handed over early waits at the server's lock and starts before Darkroom hears the last answer")
    func startsAtTheServer() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .a1111, secondsPerImage: 2)) { url, client in
            let backend = A1111BackendEndToEndTests.backend(url, client)
            // Long enough that the next request surely reaches the server first; cancelling it ends it.
            let first = await Self.startRunning(backend, Self.request(steps: 800))
            let held = HeldTurn()
            let next = Task { try await backend.run(Self.request(seed: 2), turn: held.turn) { _ in } }
            for await _ in held.asked { break }
            while try await ServerTurnTests.json(url, client, "internal/pending-tasks")["size"]?.int64Value != 1 {
                try await Task.sleep(for: .milliseconds(10))
            }
            first.cancel()
            await #expect(throws: CancellationError.self) { try await first.value }
            let granted = Date().timeIntervalSince1970
            held.grant()
            _ = try await next.value.images()
            let intervals = try await ServerTurnTests.json(url, client, "internal/gpu-stats")["busy_intervals"]
            let secondStart = try #require(intervals?.arrayValue?.last?.arrayValue?.first?.doubleValue)
            #expect(secondStart < granted, "the server began it before the first answer reached Darkroom")
        }
    }

    @Test("cancelled before its turn, a request is interrupted once it runs, and the call ends when the server is free")
    func cancelledWhileQueued() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .a1111, secondsPerImage: 2)) { url, client in
            let backend = A1111BackendEndToEndTests.backend(url, client)
            let first = await Self.startRunning(backend, Self.request())
            let held = HeldTurn()
            let queued = Task { try await backend.run(Self.request(steps: 800), turn: held.turn) { _ in } }
            for await _ in held.asked { break }
            queued.cancel()
            // The running request is not the one interrupted.
            let images = try await first.value.images()
            #expect(images.count == 1)
            held.grant()
            await #expect(throws: CancellationError.self) { try await queued.value }
            let state = try await ServerTurnTests.json(url, client, "sdapi/v1/progress")["state"]
            #expect(state?["interrupted"]?.boolValue == true, "the queued request was interrupted")
            #expect(state?["job_count"]?.int64Value == 0, "and had ended when the call returned")
            let stats = try await ServerTurnTests.json(url, client, "internal/gpu-stats")
            #expect(stats["served"]?.int64Value == 2)
        }
    }

    @Test("cancelled at its last step, a request is not interrupted and its call ends with the server's answer")
    func cancelledAtTheEnd() async throws {
        let running = #"{"progress": 0.9, "state": {"job_count": 1, "sampling_step": 7, "sampling_steps": 8}}"#
        let scripts: [String: ScriptedServer.Script] = [
            "/sdapi/v1/progress": .answer(.json(running)),
            "/sdapi/v1/txt2img": .answerAfter(path: "/test/finish", count: 1, try A1111BackendInterruptTests.images()),
            "/sdapi/v1/interrupt": .answer(.json("{}")),
            "/test/finish": .answer(.json("{}")),
        ]
        try await ScriptedServer.withServer(scripts) { url, client, log in
            // Only the server's answer can end the call within the suite's time limit.
            let backend = A1111Backend(
                id: "forge-1", baseURL: url, httpClient: client,
                configuration: .init(progressInterval: .milliseconds(50), interruptGrace: .seconds(600)),
                logger: SimulatorHarness.quietLogger)
            let (steps, stepSink) = AsyncStream<JobProgress>.makeStream()
            let task = Task {
                try await backend.run(A1111BackendInterruptTests.request, turn: .now) { stepSink.yield($0) }
            }
            for await step in steps where step.isNearingEnd { break }
            task.cancel()
            _ = try await client.execute(
                HTTPClientRequest(url: url.appendingPathComponent("test/finish").absoluteString), timeout: .seconds(120))
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(await log.count("/sdapi/v1/interrupt") == 0)
        }
    }
}
