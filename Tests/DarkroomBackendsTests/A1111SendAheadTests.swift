import AsyncHTTPClient
import DarkroomCore
import DarkroomSimulator
import Foundation
import Testing

@testable import DarkroomBackends

/// A1111 requests handed over early (issue 14): sent at once, they wait at WebUI's queue lock and start when the
/// running request ends; a request on the server is never abandoned, and an interrupt only reaches its own request.
@Suite(.timeLimit(.minutes(1))) struct A1111SendAheadTests {
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
            let first = await Self.startRunning(backend, Self.request())
            let held = HeldTurn()
            let next = Task { try await backend.run(Self.request(seed: 2), turn: held.turn) { _ in } }
            for await _ in held.asked { break }
            _ = try await first.value.images()
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

    @Test("cancelled at its last step, a request is not interrupted: one sent behind it may be waiting")
    func cancelledAtTheEnd() async throws {
        // Two steps of 1 s: the first reported step is the one before the last.
        try await SimulatorHarness.withServer(.init(protocol: .a1111, secondsPerImage: 8)) { url, client in
            let backend = A1111BackendEndToEndTests.backend(url, client)
            let (steps, stepSink) = AsyncStream<JobProgress>.makeStream()
            let task = Task {
                defer { stepSink.finish() }
                return try await backend.run(Self.request(steps: 2), turn: .now) { stepSink.yield($0) }
            }
            var cancelledAt: JobProgress?
            for await step in steps where step.isNearingEnd {
                cancelledAt = step
                task.cancel()
                break
            }
            #expect(cancelledAt != nil)
            await #expect(throws: CancellationError.self) { try await task.value }
            let state = try await ServerTurnTests.json(url, client, "sdapi/v1/progress")["state"]
            #expect(state?["interrupted"]?.boolValue == false, "it ran to its end")
            #expect(state?["job_count"]?.int64Value == 0, "before the call returned")
        }
    }
}
