import DarkroomBackends
import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import Testing

/// Failures that are the backend's fault: immediate re-queue, the circuit breaker, the half-open probe.
@Suite(.timeLimit(.minutes(5))) struct BackendFaultTests {
    let fixture: WorkerFixture

    init() async throws {
        fixture = try await WorkerFixture()
    }

    @Test("a backend fault re-queues the job at once, counting the attempt")
    func faultRequeuesAtOnce() async throws {
        let backend = ScriptedBackend(script: [.fail(.serverError(status: 502)), .succeed])
        // A job's own transient failure would back off an hour under this policy; a backend fault takes none, so
        // the job is due again at once (judged by the store's run_after, not by how fast this machine is).
        let configuration = WorkerFixture.configuration(
            retryPolicy: RetryPolicy(maxAttempts: 4, baseDelay: .seconds(3_600), maxDelay: .seconds(3_600)))
        try await fixture.whileRunning(fixture.pool(backend, configuration: configuration)) {
            let job = try await fixture.submit()
            let done = try await fixture.waitFor(job.id) { $0.state.isTerminal }
            #expect(done.state == .succeeded)
            #expect(done.attempt == 2)
            #expect(done.runAfter.timeIntervalSince(done.createdAt) < 600, "re-queued for \(done.runAfter)")
        }
    }

    @Test("max_fails faults open the breaker: the backend stops claiming and another backend runs the jobs")
    func breakerOpensAndOthersServe() async throws {
        let failing = ScriptedBackend(
            id: "gpu-a", script: Array(repeating: .fail(.unavailable("connection refused")), count: 10))
        let healthy = ScriptedBackend(id: "gpu-b", script: [])
        failing.setHealthy(false)
        let configuration = WorkerFixture.configuration(
            breakerPolicy: BreakerPolicy(maxFails: 3, failTimeout: .seconds(60)))
        let pool = fixture.pool([failing, healthy], configuration: configuration)
        try await fixture.whileRunning(pool) {
            var jobs: [Job] = []
            for seed in 0..<12 { jobs.append(try await fixture.submit(seed: Int64(seed))) }
            for job in jobs {
                let done = try await fixture.waitFor(job.id) { $0.state.isTerminal }
                #expect(done.state == .succeeded)
                #expect(done.backend == "gpu-b")
            }
            #expect(failing.callCount == 3, "the breaker opened after the third fault")
            let status = try #require(await pool.backends().first { $0.id == "gpu-a" })
            #expect(status.breaker == .open)
            #expect(await pool.backends().first { $0.id == "gpu-b" }?.breaker == .closed)
        }
    }

    @Test("after fail_timeout one health probe decides: unhealthy keeps it open, healthy closes it")
    func halfOpenProbe() async throws {
        let backend = ScriptedBackend(
            id: "gpu-a", script: [.fail(.timedOut), .fail(.outOfMemory), .succeed, .succeed])
        backend.setHealthy(false)
        // The breaker's clock moves only when the test moves it: both faults fall within fail_timeout, and the
        // probe comes when fail_timeout has passed, however slowly this machine runs.
        let clock = HandMovedClock()
        let failTimeout = Duration.seconds(30)
        let configuration = WorkerFixture.configuration(
            retryPolicy: RetryPolicy(maxAttempts: 4, baseDelay: .zero),
            breakerPolicy: BreakerPolicy(maxFails: 2, failTimeout: failTimeout), breakerClock: clock.now)
        let lines = LogLines()
        let pool = fixture.pool([backend], configuration: configuration, logger: lines.logger)
        try await fixture.whileRunning(pool) {
            let job = try await fixture.submit()
            try await fixture.waitFor(job.id) { $0.state == .queued && $0.attempt == 2 }
            #expect(await pool.backends().first?.breaker == .open)
            // Each time fail_timeout passes, a probe finds the server down and the breaker opens again; the job
            // waits, untouched. The clock moves again only once the verdict is in (it would absorb the move).
            var messages = lines.messages.makeAsyncIterator()
            for _ in 0..<2 {
                clock.advance(by: failTimeout)
                while let message = await messages.next(), message != "Backend still unhealthy; breaker stays open" {}
                #expect(await pool.backends().first?.breaker == .open)
            }
            #expect(backend.callCount == 2)
            #expect(try await fixture.store.job(id: job.id)?.state == .queued)
            // The server comes back: the next probe closes the breaker and the job runs.
            backend.setHealthy(true)
            clock.advance(by: failTimeout)
            let done = try await fixture.waitFor(job.id) { $0.state.isTerminal }
            #expect(done.state == .succeeded)
            #expect(done.attempt == 3)
            #expect(await pool.backends().first?.breaker == .closed)
        }
    }

    @Test("a job's own failures (rejected, simulated) never open the breaker")
    func jobFailuresDoNotCount() async throws {
        let backend = ScriptedBackend(script: [
            .fail(.rejected("bad")), .fail(.rejected("bad")), .fail(.rejected("bad")),
        ])
        let configuration = WorkerFixture.configuration(
            breakerPolicy: BreakerPolicy(maxFails: 2, failTimeout: .seconds(60)))
        let pool = fixture.pool(backend, configuration: configuration)
        try await fixture.whileRunning(pool) {
            for seed in 0..<3 {
                let job = try await fixture.submit(seed: Int64(seed))
                #expect(try await fixture.waitFor(job.id) { $0.state.isTerminal }.failure?.code == "backend_rejected")
            }
            let last = try await fixture.submit(seed: 9)
            #expect(try await fixture.waitFor(last.id) { $0.state.isTerminal }.state == .succeeded)
            #expect(await pool.backends().first?.breaker == .closed)
        }
    }
}
