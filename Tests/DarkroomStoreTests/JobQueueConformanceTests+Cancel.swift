import DarkroomCore
import DarkroomStore
import Foundation
import Testing

extension JobQueueConformanceTests {
    @Test("cancel moves a queued job to canceled", arguments: StoreKind.allCases)
    func cancelQueued(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let job = try await fixture.insertJob()
        let canceled = try await fixture.store.cancel(CancelParams(id: job.id, now: fixture.at(2)))
        #expect(canceled.state == .canceled)
        #expect(canceled.finishedAt == fixture.at(2))
        #expect(try await fixture.claim(offset: 3).isEmpty)
    }

    @Test("cancel moves a running job to canceled and voids its lease", arguments: StoreKind.allCases)
    func cancelRunning(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob()
        let canceled = try await fixture.store.cancel(CancelParams(id: running.id, now: fixture.at(2)))
        #expect(canceled.state == .canceled)
        #expect(canceled.lease == nil)
        await #expect(throws: JobStoreError.leaseLost(running.id)) {
            try await fixture.store.complete(
                CompleteParams(lease: try #require(LeaseRef(running)), images: [], now: fixture.at(3)))
        }
    }

    @Test("cancel with onlyIfQueued takes a queued job and leaves a running one alone", arguments: StoreKind.allCases)
    func cancelOnlyIfQueued(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob()
        await #expect(throws: JobStoreError.conflict(running.id, state: .running)) {
            try await fixture.store.cancel(CancelParams(id: running.id, onlyIfQueued: true, now: fixture.at(2)))
        }
        #expect(try await fixture.store.job(id: running.id)?.state == .running)
        let queued = try await fixture.insertJob(createdOffset: 2)
        let canceled = try await fixture.store.cancel(
            CancelParams(id: queued.id, onlyIfQueued: true, now: fixture.at(3)))
        #expect(canceled.state == .canceled)
    }

    @Test("cancel of a finished job is a conflict; of an unknown job, not found", arguments: StoreKind.allCases)
    func cancelConflicts(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let job = try await fixture.insertJob()
        _ = try await fixture.store.cancel(CancelParams(id: job.id, now: fixture.at(2)))
        await #expect(throws: JobStoreError.conflict(job.id, state: .canceled)) {
            try await fixture.store.cancel(CancelParams(id: job.id, now: fixture.at(3)))
        }
        let unknown = JobID.generate(now: fixture.at(0))
        await #expect(throws: JobStoreError.notFound(unknown)) {
            try await fixture.store.cancel(CancelParams(id: unknown, now: fixture.at(3)))
        }
    }
}
