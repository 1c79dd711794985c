import DarkroomCore
import DarkroomWorker
import MetricsTestKit
import Testing

@testable import DarkroomWorker

/// A slot asks the store only when a claim may find something: the hint's rules, and what they save a pool that
/// runs jobs one after another.
@Suite(.timeLimit(.minutes(5))) struct AnnouncedWorkTests {
    @Test("unknown until a claim finds nothing; then counts announcements down, and is unknown again past zero")
    func counts() {
        let work = AnnouncedWork()
        #expect(work.mayBeWaiting, "a new pool knows nothing: jobs may have been queued before it started")
        work.claimed(1)
        #expect(work.mayBeWaiting)
        work.foundNothing()
        #expect(!work.mayBeWaiting)
        work.announced()
        work.announced()
        work.claimed(1)
        #expect(work.mayBeWaiting, "one announced job is still unclaimed")
        work.claimed(1)
        #expect(!work.mayBeWaiting)
        work.claimed(1)
        #expect(work.mayBeWaiting, "a job no announcement told of: there may be more")
        work.announced()
        work.foundNothing()
        #expect(!work.mayBeWaiting, "another worker took what was announced")
    }

    @Test("a claim on its way covers one announced job: a second slot leaves it, unless more were announced")
    func claimsOnTheirWay() {
        let work = AnnouncedWork()
        work.foundNothing()
        work.announced()
        work.claimStarted()
        #expect(!work.mayBeWaiting, "the one announced job is the claim's on its way")
        work.announced()
        #expect(work.mayBeWaiting, "two jobs, one claim on its way")
        work.claimStarted()
        #expect(!work.mayBeWaiting)
        work.claimFailed()
        #expect(work.mayBeWaiting, "a failed claim took nothing: its job waits for another slot")
        work.claimStarted()
        work.claimed(1)
        #expect(!work.mayBeWaiting, "one job left, one claim on its way")
        work.foundNothing()
        #expect(!work.mayBeWaiting, "another worker took it")
        work.announced()
        #expect(work.mayBeWaiting, "no claim on its way now")
    }

    @Test("jobs submitted one after another each cost one claim: a slot that finishes asks again only for new work")
    func oneClaimPerJob() async throws {
        let fixture = try await WorkerFixture()
        let metrics = TestMetrics()
        // The poll never comes: every claim here is one the doorbell, the turns or a finished job made.
        let configuration = WorkerConfiguration(workerID: "test", pollInterval: .seconds(3_600))
        let backend = ScriptedBackend(slots: 2, script: [])
        let pool = WorkerPool(
            store: fixture.store, backends: [backend], images: fixture.images, configuration: configuration,
            metricsFactory: metrics, logger: WorkerFixture.logger)
        let lanes = 2 * backend.slots
        let jobs = 20
        try await fixture.whileRunning(pool) {
            for seed in 0..<jobs {
                let job = try await fixture.submit(seed: Int64(seed))
                let done = try await fixture.waitFor(job.id) { $0.state.isTerminal }
                #expect(done.state == .succeeded)
            }
        }
        let claimed = try metrics.expectTimer(MetricNames.claimDuration, [(MetricNames.Label.outcome, "claimed")])
        #expect(claimed.values.count == jobs)
        // Each lane's first claim finds nothing, and one announcement may race a claim that took its job.
        let empty =
            (try? metrics.expectTimer(MetricNames.claimDuration, [(MetricNames.Label.outcome, "empty")]))?
            .values.count ?? 0
        #expect(empty <= lanes + 1, "\(empty) empty claims for \(jobs) jobs")
    }
}
