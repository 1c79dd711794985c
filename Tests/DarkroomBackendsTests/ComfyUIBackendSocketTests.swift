import AsyncHTTPClient
import DarkroomWire
import Foundation
import Hummingbird
import Synchronization
import Testing

@testable import DarkroomBackends

/// ComfyUIBackend against a server that accepts the WebSocket's connection and never answers its upgrade.
@Suite(.timeLimit(.minutes(5))) struct ComfyUIBackendSocketTests {
    /// How often the server saw `GET /ws`.
    final class Upgrades: Sendable {
        let count = Mutex(0)
    }

    @Test("a socket stuck in its upgrade is given up, and later attempts skip the socket while it hangs")
    func stuckUpgrade() async throws {
        let upgrades = Upgrades()
        try await Self.withStuckServer(upgrades) { url, client in
            let backend = ComfyUIBackend(
                id: "comfy-stuck", baseURL: url, httpClient: client,
                configuration: .init(connectTimeout: .milliseconds(300), historyPollInterval: .milliseconds(20)),
                logger: SimulatorHarness.quietLogger)
            let request = BackendTestFixtures.request(seed: 42)
            // Bounded by the suite's time limit: a loaded machine may take its time, a hang still fails.
            let first = try await backend.generate(request) { _ in }
            #expect(first.map(\.seed) == [42])
            #expect(backend.stuckSockets.withLock { $0 } == 1)
            let second = try await backend.generate(request) { _ in }
            #expect(second.count == 1)
            #expect(upgrades.count.withLock { $0 } == 1)
        }
    }

    @Test("waiting for a task is bounded, and reports whether the task ended")
    func boundedWait() async {
        let quick = Task<Void, Never> {}
        #expect(await ComfyUIBackend.ends(quick, within: .seconds(10)))
        let (never, sink) = AsyncStream<Void>.makeStream()
        let blocker = Task { for await _ in never {} }
        // Awaiting another task's value ignores cancellation, as WSClient's wait for the upgrade answer does.
        let stuck = Task<Void, Never> { await blocker.value }
        stuck.cancel()
        #expect(await !ComfyUIBackend.ends(stuck, within: .milliseconds(50)))
        sink.finish()
        await stuck.value
    }

    /// A ComfyUI whose `/ws` does not answer while `body` runs; `/prompt`, `/history` and `/view` finish one
    /// prompt, `p1`.
    static func withStuckServer(
        _ upgrades: Upgrades, _ body: @escaping @Sendable (URL, HTTPClient) async throws -> Void
    ) async throws {
        let png = try BackendTestFixtures.png()
        let history = #"""
            {"p1": {"outputs": {"11": {"images": [{"filename": "p1_00001_.png", "subfolder": "darkroom", "type": "output"}]}},
                    "status": {"status_str": "success", "completed": true, "messages": []}}}
            """#
        let held = ScriptedServer.Log()
        let router = Router()
        router.get("/ws") { _, _ -> Response in
            upgrades.count.withLock { $0 += 1 }
            await held.holdUntilReleased()
            return Response(status: .internalServerError)
        }
        router.post("/prompt") { _, _ in Self.json(#"{"prompt_id": "p1", "number": 1, "node_errors": {}}"#) }
        router.get("/history/p1") { _, _ in Self.json(history) }
        router.get("/view") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        try await SimulatorHarness.withRouter(router) { url, client in
            do {
                try await body(url, client)
                await held.releaseStalled()
            } catch {
                await held.releaseStalled()
                throw error
            }
        }
    }

    static func json(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
