import DarkroomCore
import DarkroomStore
import Foundation
import Testing

extension JobQueueConformanceTests {
    @Test("heartbeat extends the lease and records progress", arguments: StoreKind.allCases)
    func heartbeatExtends(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob(offset: 1)
        let lease = try #require(LeaseRef(running))
        let beaten = try await fixture.store.heartbeat(
            HeartbeatParams(
                lease: lease, leaseDuration: .seconds(30), progress: JobProgress(step: 3, steps: 8), now: fixture.at(10)
            ))
        #expect(beaten.lease?.expiresAt == fixture.at(40))
        #expect(beaten.progress == JobProgress(step: 3, steps: 8))
        let quiet = try await fixture.store.heartbeat(
            HeartbeatParams(lease: lease, leaseDuration: .seconds(30), now: fixture.at(20)))
        #expect(quiet.progress.step == 3)
        #expect(quiet.lease?.expiresAt == fixture.at(50))
    }

    @Test("complete records the images and finishes the job", arguments: StoreKind.allCases)
    func completeFinishes(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob()
        let image = ImageResult(name: "\(running.id)-0.png", width: 1024, height: 1024, seed: 1, sha256: "ab")
        let done = try await fixture.store.complete(
            CompleteParams(lease: try #require(LeaseRef(running)), images: [image], now: fixture.at(5)))
        #expect(done.state == .succeeded)
        #expect(done.images == [image])
        #expect(done.lease == nil)
        #expect(done.progress.step == done.progress.steps)
        #expect(try await fixture.store.job(id: running.id) == done)
    }

    @Test(
        "complete moves started_at to when the job got its server, never before its claim",
        arguments: StoreKind.allCases)
    func completeRecordsTheServerStart(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let claimedAhead = try await fixture.insertRunningJob(offset: 1)
        let claimedAt = try #require(claimedAhead.startedAt)
        let started = claimedAt.addingTimeInterval(0.25)
        let done = try await fixture.store.complete(
            CompleteParams(
                lease: try #require(LeaseRef(claimedAhead)), images: [], startedAt: started, now: fixture.at(5)))
        #expect(done.startedAt == started)
        let other = try await fixture.insertRunningJob(offset: 2)
        let early = try await fixture.store.complete(
            CompleteParams(
                lease: try #require(LeaseRef(other)), images: [], startedAt: .distantPast, now: fixture.at(6)))
        #expect(early.startedAt == other.startedAt)
    }

    @Test("retry re-queues with backoff; a refunded attempt is not counted", arguments: StoreKind.allCases)
    func retryRequeues(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob()
        let retried = try await fixture.store.retry(
            RetryParams(lease: try #require(LeaseRef(running)), runAfter: fixture.at(30), now: fixture.at(2)))
        #expect(retried.state == .queued)
        #expect(retried.attempt == 1)
        #expect(retried.runAfter == fixture.at(30))
        #expect(retried.lease == nil && retried.finishedAt == nil && retried.failure == nil)
        let again = try #require(try await fixture.claim(offset: 31).first)
        let handedBack = try await fixture.store.retry(
            RetryParams(
                lease: try #require(LeaseRef(again)), runAfter: fixture.at(32), refundsAttempt: true,
                now: fixture.at(32)))
        #expect(handedBack.attempt == 1)
    }

    @Test("fail finishes the job with its error", arguments: StoreKind.allCases)
    func failFinishes(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob()
        let failure = JobFailure(code: "backend_rejected", message: "no")
        let failed = try await fixture.store.fail(
            FailParams(lease: try #require(LeaseRef(running)), failure: failure, now: fixture.at(3)))
        #expect(failed.state == .failed)
        #expect(failed.failure == failure)
        #expect(failed.finishedAt == fixture.at(3))
    }

    @Test("a stale lease token changes nothing and is told so", arguments: StoreKind.allCases)
    func fencing(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let first = try await fixture.insertRunningJob(owner: "old", offset: 1)
        let stale = try #require(LeaseRef(first))
        // The old worker goes quiet; its lease is rescued and another worker claims the job.
        _ = try await fixture.store.rescueExpired(RescueParams(now: fixture.at(40)))
        let second = try #require(try await fixture.claim(owner: "new", offset: 41).first)
        #expect(second.id == first.id)

        let store = fixture.store
        await #expect(throws: JobStoreError.leaseLost(first.id)) {
            try await store.heartbeat(HeartbeatParams(lease: stale, leaseDuration: .seconds(30), now: fixture.at(42)))
        }
        await #expect(throws: JobStoreError.leaseLost(first.id)) {
            try await store.complete(CompleteParams(lease: stale, images: [], now: fixture.at(42)))
        }
        await #expect(throws: JobStoreError.leaseLost(first.id)) {
            try await store.retry(RetryParams(lease: stale, runAfter: fixture.at(42), now: fixture.at(42)))
        }
        await #expect(throws: JobStoreError.leaseLost(first.id)) {
            try await store.fail(
                FailParams(lease: stale, failure: JobFailure(code: "x", message: "x"), now: fixture.at(42)))
        }
        #expect(try await store.job(id: first.id) == second)
        let done = try await store.complete(
            CompleteParams(lease: try #require(LeaseRef(second)), images: [], now: fixture.at(43)))
        #expect(done.state == .succeeded)
    }
}
