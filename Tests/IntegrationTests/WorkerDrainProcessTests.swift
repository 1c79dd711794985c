import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A cluster worker process told to stop (SIGTERM, as Kubernetes does on scale-down or rollout): it claims
/// nothing more, lets its running job finish within `--drain-seconds` or hands it back, and exits 0.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct WorkerDrainProcessTests {
    /// A gateway and a one-slot worker whose jobs take `seconds`, on a fresh database; `body` gets the
    /// worker, the API and two jobs submitted: the first running, the second queued behind it.
    private func withRunningJob(
        seconds: Double, drainSeconds: Double,
        _ body: (ServerProcess, APIClient, _ running: JobJSON, _ queued: JobJSON) async throws -> Void
    ) async throws {
        let database = try await ClusterDatabase()
        defer { database.drop() }
        let images = try TemporaryDirectory()
        defer { images.remove() }
        let gateway = try await ServerProcess.launch([
            "gateway", "--database-url", database.url, "--port", "0", "--image-dir", images.url.path, "--auth", "off",
        ])
        defer { gateway.stop() }
        let worker = try await ServerProcess.launch([
            "worker", "--database-url", database.url, "--sim-gpus", "1", "--sim-seconds", String(seconds),
            "--image-dir", images.url.path, "--metrics-port", "0", "--drain-seconds", String(drainSeconds),
        ])
        defer { worker.stop() }
        let api = gateway.api
        let first = try await api.submitAccepted(JobRequestBody(prompt: "first"))
        let second = try await api.submitAccepted(JobRequestBody(prompt: "second"))
        let running = try await waitUntil(
            "the first job runs", reading: { try await api.job(first.id) }, until: { $0.state == "running" })
        try await body(worker, api, running, try await api.job(second.id))
    }

    @Test("SIGTERM during a job: the job finishes, the queued one is not claimed, the worker exits 0")
    func drainFinishesTheRunningJob() async throws {
        // 30 s: the worker claims the next job only near the running one's end (its last steps, 4–8 s before), so
        // the signal reaches it before that even on a loaded machine (8 s was overrun once under stress-ng and two
        // builds); the drain then claims nothing more.
        try await withRunningJob(seconds: 30, drainSeconds: 90) { worker, api, running, queued in
            #expect(queued.state == "queued")
            worker.child.send(SIGTERM)
            try await worker.child.requireExit(within: .seconds(180))
            #expect(worker.child.exitStatus == 0, "\(worker.log)")
            let finished = try await api.job(running.id)
            #expect(finished.state == "succeeded", "the running job finished during the drain: \(finished)")
            #expect(finished.images.count == 1)
            let untouched = try await api.job(queued.id)
            #expect(untouched.state == "queued" && untouched.attempt == 0, "no new claim: \(untouched)")
        }
    }

    @Test("SIGTERM with a job longer than the drain: it goes back to the queue, its attempt not counted")
    func drainHandsBackALongJob() async throws {
        try await withRunningJob(seconds: 60, drainSeconds: 0.5) { worker, api, running, queued in
            worker.child.send(SIGTERM)
            try await worker.child.requireExit(within: .seconds(60))
            #expect(worker.child.exitStatus == 0, "\(worker.log)")
            let handedBack = try await api.job(running.id)
            #expect(handedBack.state == "queued", "handed back, not failed or lost: \(handedBack)")
            #expect(handedBack.attempt == 0, "a drain does not use up an attempt: \(handedBack)")
            #expect(try await api.job(queued.id).attempt == 0)
        }
    }
}
