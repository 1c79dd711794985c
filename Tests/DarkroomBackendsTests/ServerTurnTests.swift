import AsyncHTTPClient
import DarkroomCore
import DarkroomSimulator
import Foundation
import NIOCore
import Testing

@testable import DarkroomBackends

/// When each backend waits for its turn on the server (issue 14): ComfyUI after queueing its prompt (A1111 in
/// ``A1111SendAheadTests``).
@Suite(.timeLimit(.minutes(5))) struct ServerTurnTests {
    /// A turn the test grants: `asked` yields when the backend starts waiting, `grant()` lets it go on.
    final class HeldTurn: Sendable {
        let asked: AsyncStream<Void>
        private let askedSink: AsyncStream<Void>.Continuation
        private let granted = AsyncStream<Void>.makeStream()

        init() {
            (asked, askedSink) = AsyncStream.makeStream()
        }

        var turn: ServerTurn {
            ServerTurn { [self] in
                askedSink.yield()
                for await _ in granted.stream {}
                try Task.checkCancellation()
            }
        }

        func grant() { granted.continuation.finish() }
    }

    @Test("ComfyUI queues the prompt on the server before its turn comes")
    func comfyQueuesFirst() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .comfyui, secondsPerImage: 0.2)) { url, client in
            let backend = ComfyUIBackendEndToEndTests.backend(url, client)
            let held = HeldTurn()
            let task = Task {
                try await backend.run(BackendTestFixtures.request(width: 256, height: 256), turn: held.turn) { _ in }
            }
            for await _ in held.asked { break }
            // Waiting or already run: either way the server has it before the turn was granted.
            let queue = try await Self.json(url, client, "queue")
            let onServer = ["queue_running", "queue_pending"].reduce(0) { $0 + (queue[$1]?.arrayValue?.count ?? 0) }
            let served = try await Self.json(url, client, "internal/gpu-stats")["served"]?.int64Value ?? 0
            #expect(onServer == 1 || served == 1, "queued or running when asked, or run since")
            held.grant()
            let images = try await task.value.images()
            #expect(images.count == 1)
        }
    }

    @Test("ComfyUI withdraws a prompt cancelled while it waits for its turn")
    func comfyWithdrawsOnCancel() async throws {
        try await SimulatorHarness.withServer(.init(protocol: .comfyui, secondsPerImage: 8)) { url, client in
            let backend = ComfyUIBackendEndToEndTests.backend(url, client)
            let (running, runningSink) = AsyncStream<Void>.makeStream()
            let long = Task {
                try await backend.generate(BackendTestFixtures.request(width: 512, height: 512, steps: 200)) { _ in
                    runningSink.yield()
                }
            }
            defer { long.cancel() }
            for await _ in running { break }
            let held = HeldTurn()
            let waiting = Task { try await backend.run(BackendTestFixtures.request(), turn: held.turn) { _ in } }
            for await _ in held.asked { break }
            waiting.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
            let pending = try await Self.json(url, client, "queue")["queue_pending"]?.arrayValue
            #expect(pending?.isEmpty == true)
        }
    }

    static func json(_ url: URL, _ client: HTTPClient, _ path: String) async throws -> BackendJSON {
        let response = try await client.execute(
            HTTPClientRequest(url: url.appendingPathComponent(path).absoluteString), timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 16 << 20)
        return try #require(BackendJSON.parse(Data(body.readableBytesView)))
    }
}
