import Foundation
import Testing

/// Cancellation and GPU faults through the real protocols: what reaches the inference server, and what the
/// job and the breaker make of it.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct BackendControlTests {
    func serve(
        _ servers: [GPUServer], directory: TemporaryDirectory, options: [String] = []
    ) async throws -> ServerProcess {
        try await ServerProcess.start(
            dataDirectory: directory.url, options: servers.flatMap { ["--backend", $0.backendArgument] } + options)
    }

    /// Whether the simulated server is busy, read through its own protocol.
    func isBusy(_ gpu: GPUServer) async throws -> Bool {
        let api = APIClient(baseURL: "http://127.0.0.1:\(gpu.port)")
        switch gpu.kind {
        case "a1111":
            let progress = try JSONSerialization.jsonObject(with: try await api.get("/sdapi/v1/progress").body)
            let state = (progress as? [String: Any])?["state"] as? [String: Any]
            return (state?["job_count"] as? Int ?? 0) > 0
        default:
            let queue = try JSONSerialization.jsonObject(with: try await api.get("/queue").body)
            let running = (queue as? [String: Any])?["queue_running"] as? [Any]
            return !(running ?? []).isEmpty
        }
    }

    @Test("canceling a running job interrupts the GPU server at once", arguments: ["a1111", "comfyui"])
    func cancelInterruptsServer(kind: String) async throws {
        // 120 s per image: without an interrupt the server would stay busy long after the cancel, which leaves a
        // loaded machine all the time it needs to show that it did not.
        let gpu = try await GPUServer.start(kind, seconds: 120)
        defer { gpu.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await serve([gpu], directory: directory)
        defer { server.stop() }

        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "portrait"))
        _ = try await waitUntil("the job runs on the server", timeout: .seconds(120), every: .milliseconds(100)) {
            try await isBusy(gpu) ? true : nil
        }
        let canceledAt = ContinuousClock.now
        #expect(try await server.api.cancel(job.id).status == 200)
        _ = try await waitUntil("the server stops", timeout: .seconds(60), every: .milliseconds(50)) {
            try await isBusy(gpu) ? nil : true
        }
        #expect(ContinuousClock.now - canceledAt < .seconds(60))
        #expect(try await server.api.job(job.id).state == "canceled")
    }

    @Test("a server that runs out of memory: its jobs run elsewhere, its breaker opens, the fault is counted")
    func outOfMemoryMovesJobs() async throws {
        let oom = try await GPUServer.start("a1111", seconds: 0.3, options: ["--oom-rate", "1"])
        defer { oom.stop() }
        let healthy = try await GPUServer.start("a1111", seconds: 0.3)
        defer { healthy.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Faults are counted, and an open breaker stays open, for 10 minutes: longer than the test on any machine.
        let server = try await serve([oom, healthy], directory: directory, options: ["--breaker-fail-timeout", "600"])
        defer { server.stop() }

        // How many jobs reach the failing server before its breaker opens depends on which server is free first
        // (on a loaded machine the healthy one may take most): jobs go in rounds of 8 until it has opened.
        var jobs: [JobJSON] = []
        var breaker: String?
        for round in 0..<10 where breaker != "open" {
            jobs += try await runRound(of: 8, named: "portrait \(round)", on: server)
            breaker = try await server.api.queue().backends.first { $0.id == oom.backendID }?.breaker
        }
        #expect(breaker == "open")
        let opened = try await outOfMemoryFaults(of: oom, on: server)
        #expect(opened >= 3, "max_fails out-of-memory answers open the breaker")

        jobs += try await runRound(of: 8, named: "after", on: server)
        #expect(jobs.allSatisfy { $0.state == "succeeded" && $0.backend == healthy.backendID }, "\(jobs)")
        let failures = try await outOfMemoryFaults(of: oom, on: server)
        #expect(failures == opened, "once the breaker is open, no more jobs are sent to the failing server")
    }

    /// Submits `count` jobs and waits until all have ended.
    private func runRound(of count: Int, named name: String, on server: ServerProcess) async throws -> [JobJSON] {
        var ids: [String] = []
        for index in 0..<count {
            ids.append(try await server.api.submitAccepted(JobRequestBody(prompt: "\(name)-\(index)")).id)
        }
        return try await server.api.waitForAllTerminal(Set(ids), timeout: .seconds(180))
    }

    /// `darkroom_backend_failures_total` for `gpu`'s out-of-memory answers.
    private func outOfMemoryFaults(of gpu: GPUServer, on server: ServerProcess) async throws -> Double {
        let metrics = try PrometheusText.parse(try await server.api.get("/metrics").text)
        return PrometheusText.sum(
            metrics, "darkroom_backend_failures_total", matching: ["backend": gpu.backendID, "code": "out_of_memory"])
    }
}
