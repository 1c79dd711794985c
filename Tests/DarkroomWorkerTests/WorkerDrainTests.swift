import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite(.timeLimit(.minutes(5))) struct WorkerDrainTests {
    let fixture: WorkerFixture

    init() async throws {
        fixture = try await WorkerFixture()
    }

    @Test("graceful shutdown stops claiming and lets the running job finish")
    func drainFinishesRunningJob() async throws {
        let backend = SlowSucceedBackend()
        let pool = fixture.pool(backend)
        try await testGracefulShutdown { trigger in
            let task = Task { try await pool.run() }
            let running = try await fixture.submit()
            try await fixture.waitFor(running.id) { $0.state == .running }
            let waiting = try await fixture.submit()
            trigger.triggerGracefulShutdown()
            // Only once the pool drains may the running job end: its last step would otherwise let a slot claim
            // the waiting job ahead, before the shutdown reached the pool.
            while !pool.isDraining { await Task.yield() }
            backend.release()
            try await task.value
            #expect(try await fixture.store.job(id: running.id)?.state == .succeeded)
            #expect(try await fixture.store.job(id: waiting.id)?.state == .queued)
        }
    }

    @Test("a job still running at the drain timeout is handed back without counting the attempt")
    func drainTimeoutHandsBack() async throws {
        let backend = ScriptedBackend(script: [.hang])
        let pool = fixture.pool(backend, configuration: WorkerFixture.configuration(drainTimeout: .milliseconds(100)))
        try await testGracefulShutdown { trigger in
            let task = Task { try await pool.run() }
            let job = try await fixture.submit()
            try await fixture.waitFor(job.id) { $0.state == .running }
            trigger.triggerGracefulShutdown()
            try await task.value
            let handedBack = try #require(try await fixture.store.job(id: job.id))
            #expect(handedBack.state == .queued)
            #expect(handedBack.attempt == 0)
            #expect(handedBack.lease == nil)
        }
    }

    @Test("the rescuer re-queues jobs whose worker vanished")
    func rescuerRequeues() async throws {
        let longAgo = Date().addingTimeInterval(-120)
        let job = try await fixture.store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: longAgo), request: GenerationRequest(prompt: "p", seed: 1), now: longAgo))
        _ = try await fixture.store.claim(
            ClaimParams(owner: "ghost", backend: "x", leaseDuration: .seconds(1), now: Date().addingTimeInterval(-60)))
        let rescuer = Rescuer(
            store: fixture.store, metricsFactory: NOOPMetricsHandler.instance, logger: WorkerFixture.logger)
        let result = try await rescuer.runOnce(expiredBefore: nil)
        #expect(result.requeued.map(\.id) == [job.id])
        #expect(try await fixture.store.job(id: job.id)?.state == .queued)
    }
}
