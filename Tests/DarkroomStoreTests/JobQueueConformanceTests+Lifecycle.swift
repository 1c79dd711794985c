import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// The lifecycle table (``JobEvent/target(from:)``) against each store: every event, from every state, does in
/// the store exactly what the table says, and a forbidden one changes nothing.
extension JobQueueConformanceTests {
    @Test(
        "every event from every state ends where JobEvent's table says, or changes nothing",
        arguments: StoreKind.allCases, JobEvent.allCases)
    func lifecycleTable(kind: StoreKind, event: JobEvent) async throws {
        for state in JobState.allCases {
            let fixture = try await kind.makeStore()
            let job = try await Self.job(in: state, fixture)
            try #require(job.state == state)
            try await Self.apply(event, to: job, fixture)
            let after = try #require(try await fixture.store.job(id: job.id))
            let expected = event.target(from: state) ?? state
            #expect(after.state == expected, "\(event) from \(state) on \(kind): \(after.state)")
        }
    }

    /// A job with a deadline at `t0 + 100 s` brought to `state`: queued, claimed, then ended by its own event.
    private static func job(in state: JobState, _ fixture: StoreFixture) async throws -> Job {
        let queued = try await fixture.store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: fixture.at(0)), request: GenerationRequest(prompt: "portrait", seed: 1),
                deadline: fixture.at(100), now: fixture.at(0)))
        guard state != .queued else { return queued }
        let running = try #require(try await fixture.claim().first)
        let lease = try #require(LeaseRef(running))
        switch state {
        case .queued, .running: return running
        case .succeeded:
            return try await fixture.store.complete(CompleteParams(lease: lease, images: [], now: fixture.at(2)))
        case .failed:
            return try await fixture.store.fail(
                FailParams(lease: lease, failure: JobFailure(code: "test", message: "failed"), now: fixture.at(2)))
        case .canceled: return try await fixture.store.cancel(CancelParams(id: running.id, now: fixture.at(2)))
        case .expired:
            return try #require(try await fixture.store.expireOverdue(ExpireParams(now: fixture.at(101))).first)
        }
    }

    /// Makes `event` happen to `job` through the store's own operation for it; a refusal is not an error here
    /// (the state read after it tells).
    private static func apply(_ event: JobEvent, to job: Job, _ fixture: StoreFixture) async throws {
        // A forbidden move on a job without a lease still names one: the token a lease would have.
        let lease = LeaseRef(job) ?? LeaseRef(jobID: job.id, token: 1)
        let store = fixture.store
        switch event {
        case .claim: _ = try await fixture.claim(offset: 3)
        case .complete: _ = try? await store.complete(CompleteParams(lease: lease, images: [], now: fixture.at(3)))
        case .retry: _ = try? await store.retry(RetryParams(lease: lease, runAfter: fixture.at(3), now: fixture.at(3)))
        case .fail:
            _ = try? await store.fail(
                FailParams(lease: lease, failure: JobFailure(code: "test", message: "failed"), now: fixture.at(3)))
        case .cancel: _ = try? await store.cancel(CancelParams(id: job.id, now: fixture.at(3)))
        // Every lease here ends by t0 + 1 s + 30 s; rescue after it, before the deadline.
        case .rescue:
            _ = try await store.rescueExpired(RescueParams(expiredBefore: fixture.at(60), now: fixture.at(60)))
        case .expire: _ = try await store.expireOverdue(ExpireParams(now: fixture.at(101)))
        }
    }
}
