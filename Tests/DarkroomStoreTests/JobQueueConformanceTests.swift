import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// The ``JobQueue`` contract (see its doc comment), each sentence a test, run against every store.
@Suite("Job queue conformance")
struct JobQueueConformanceTests {
    @Test("enqueue commits a queued job that reads back unchanged", arguments: StoreKind.allCases)
    func enqueueCommits(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let job = try await fixture.insertJob(priority: 7, metadataJSON: #"{"user":"ada"}"#)
        let stored = try #require(try await fixture.store.job(id: job.id))
        #expect(stored == job)
        #expect(stored.state == .queued)
        #expect(stored.priority == 7)
        #expect(stored.attempt == 0)
        #expect(stored.lease == nil)
        #expect(stored.finishedAt == nil)
        #expect(stored.progress == JobProgress(step: 0, steps: 8))
        #expect(stored.metadataJSON == #"{"user":"ada"}"#)
        #expect(stored.request.seed == 1)
    }

    @Test("job(id:) is nil for an unknown id", arguments: StoreKind.allCases)
    func unknownJob(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        #expect(try await fixture.store.job(id: JobID.generate(now: Date())) == nil)
    }

    @Test("changes() publishes each changed job after the commit", arguments: StoreKind.allCases)
    func changesArePublished(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        var changes = fixture.store.changes().makeAsyncIterator()
        let job = try await fixture.insertJob()
        let claimed = try #require(try await fixture.claim().first)
        let first = try #require(await changes.next())
        let second = try #require(await changes.next())
        #expect(first.id == job.id && first.state == .queued)
        #expect(second == claimed)
    }

    @Test("stateChanges() publishes each changed job's new state after the commit", arguments: StoreKind.allCases)
    func stateChangesArePublished(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        var states = fixture.store.stateChanges().makeAsyncIterator()
        let job = try await fixture.insertJob()
        _ = try #require(try await fixture.claim().first)
        _ = try await fixture.store.cancel(CancelParams(id: job.id))
        var heard: [JobStateChange] = []
        for _ in 0..<3 { heard.append(try #require(await states.next())) }
        #expect(heard == [.queued, .running, .canceled].map { JobStateChange(id: job.id, state: $0) })
    }

    @Test("changes(of:) publishes that job's changes and no other's", arguments: StoreKind.allCases)
    func oneJobsChanges(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let other = try await fixture.insertJob()
        let job = try await fixture.insertJob()
        var changes = fixture.store.changes(of: job.id).makeAsyncIterator()
        _ = try await fixture.store.cancel(CancelParams(id: other.id))
        _ = try await fixture.store.cancel(CancelParams(id: job.id))
        let heard = try #require(await changes.next())
        #expect(heard.id == job.id && heard.state == .canceled)
    }

    @Test("a terminal job never changes again", arguments: StoreKind.allCases)
    func terminalIsFinal(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob()
        let lease = try #require(LeaseRef(running))
        let done = try await fixture.store.complete(CompleteParams(lease: lease, images: [], now: fixture.at(2)))
        #expect(done.state == .succeeded)
        #expect(done.finishedAt == fixture.at(2))
        await #expect(throws: JobStoreError.leaseLost(running.id)) {
            try await fixture.store.fail(
                FailParams(lease: lease, failure: JobFailure(code: "x", message: "x"), now: fixture.at(3)))
        }
        await #expect(throws: JobStoreError.conflict(running.id, state: .succeeded)) {
            try await fixture.store.cancel(CancelParams(id: running.id, now: fixture.at(3)))
        }
        let rescued = try await fixture.store.rescueExpired(
            RescueParams(expiredBefore: .distantFuture, now: fixture.at(4)))
        #expect(rescued == RescueResult())
        #expect(try await fixture.store.job(id: running.id) == done)
    }
}
