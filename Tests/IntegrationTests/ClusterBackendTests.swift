import Foundation
import Testing

/// A cluster worker driving real-protocol servers: the gateway, in another process, sees the worker's
/// backends and their breakers through the store.
@Suite(.timeLimit(.minutes(5)))
struct ClusterBackendTests {
    @Test("a worker with --backend runs jobs on its servers; the gateway's /v1/queue shows them, and an open breaker")
    func workerWithBackends() async throws {
        let database = try await ClusterDatabase()
        defer { database.drop() }
        let images = try TemporaryDirectory()
        defer { images.remove() }
        let migrate = try await ChildProcess(arguments: ["migrate", "--database-url", database.url])
        try await migrate.requireExit(within: .seconds(30))
        #expect(migrate.exitStatus == 0, "darkroom migrate failed: \(migrate.stderr)")

        let a1111 = try await GPUServer.start("a1111", seconds: 0.3)
        defer { a1111.stop() }
        let comfy = try await GPUServer.start("comfyui", seconds: 0.3)
        defer { comfy.stop() }
        let gateway = try await ServerProcess.launch([
            "gateway", "--database-url", database.url, "--port", "0", "--image-dir", images.url.path, "--auth", "off",
        ])
        defer { gateway.stop() }
        let worker = try await ServerProcess.launch([
            "worker", "--database-url", database.url, "--image-dir", images.url.path, "--name", "gpu-box",
            "--metrics-port", "0", "--backend", a1111.backendArgument, "--backend", comfy.backendArgument,
            "--breaker-fail-timeout", "60",
        ])
        defer { worker.stop() }

        let listed = try await waitUntil("the gateway lists the worker's backends", timeout: .seconds(120)) {
            let backends = try await gateway.api.queue().backends
            return backends.count == 2 ? backends : nil
        }
        #expect(Set(listed.map(\.id)) == [a1111.backendID, comfy.backendID])
        #expect(listed.allSatisfy { $0.breaker == "closed" && $0.reachable })

        var ids: Set<String> = []
        for index in 0..<8 {
            ids.insert(try await gateway.api.submitAccepted(JobRequestBody(prompt: "portrait \(index)")).id)
        }
        let jobs = try await gateway.api.waitForAllTerminal(ids, timeout: .seconds(180))
        #expect(jobs.allSatisfy { $0.state == "succeeded" }, "\(jobs)")
        #expect(Set(jobs.compactMap(\.backend)) == [a1111.backendID, comfy.backendID])

        // The A1111 server dies; the next jobs trip its breaker, and the gateway reports it open. Only attempts
        // that reach the dead server count, and the healthy one may take most jobs, so work keeps coming in
        // small batches until the breaker shows open.
        try await a1111.kill()
        var after: [JobJSON] = []
        let open = try await waitUntil("the gateway shows the breaker open", timeout: .seconds(80)) {
            ids = []
            for index in 0..<3 {
                ids.insert(try await gateway.api.submitAccepted(JobRequestBody(prompt: "after \(index)")).id)
            }
            after += try await gateway.api.waitForAllTerminal(ids, timeout: .seconds(180))
            return try await gateway.api.queue().backends.first { $0.id == a1111.backendID && $0.breaker == "open" }
        }
        #expect(!after.isEmpty)
        #expect(after.allSatisfy { $0.state == "succeeded" && $0.backend == comfy.backendID }, "\(after)")
        #expect(!open.reachable)
    }
}
