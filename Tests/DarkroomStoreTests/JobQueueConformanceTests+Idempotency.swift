import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// Enqueue with an `Idempotency-Key`: one job per key and tenant for 24 hours, whatever the concurrency.
extension JobQueueConformanceTests {
    /// Enqueues a job with `key` and `fingerprint` at `t0 + offset` seconds.
    static func enqueue(
        _ fixture: StoreFixture, key: String, fingerprint: String = "body-a", tenant: String = "default",
        offset: Double = 0
    ) async throws -> (sent: JobID, job: Job) {
        let now = StoreFixture.t0.addingTimeInterval(offset)
        let id = JobID.generate(now: now)
        let job = try await fixture.store.enqueue(
            EnqueueParams(
                id: id, tenant: tenant, request: GenerationRequest(prompt: "portrait", seed: 1),
                idempotency: IdempotencyKey(key: key, fingerprint: fingerprint), now: now))
        return (id, job)
    }

    @Test("a repeat with the same key and body returns the first job and creates none", arguments: StoreKind.allCases)
    func idempotentRepeat(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let first = try await Self.enqueue(fixture, key: "order-1")
        #expect(first.job.id == first.sent)
        let repeated = try await Self.enqueue(fixture, key: "order-1", offset: 60)
        #expect(repeated.job.id == first.sent)
        #expect(repeated.job.id != repeated.sent)
        #expect(try await fixture.store.list(ListParams()).jobs.count == 1)
        // Another key, or the same key for another tenant, is another job.
        #expect(try await Self.enqueue(fixture, key: "order-2").job.id != first.sent)
        #expect(try await Self.enqueue(fixture, key: "order-1", tenant: "other").job.id != first.sent)
        #expect(try await fixture.store.list(ListParams()).jobs.count == 3)
    }

    @Test("the same key with another body is refused and names the first job", arguments: StoreKind.allCases)
    func idempotencyKeyReused(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let first = try await Self.enqueue(fixture, key: "order-1")
        await #expect(throws: JobStoreError.idempotencyKeyReused(first.sent)) {
            try await Self.enqueue(fixture, key: "order-1", fingerprint: "body-b", offset: 1)
        }
        #expect(try await fixture.store.list(ListParams()).jobs.count == 1)
    }

    @Test("a key names its job for 24 hours; after that it makes a new one", arguments: StoreKind.allCases)
    func idempotencyKeyExpires(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let first = try await Self.enqueue(fixture, key: "order-1")
        #expect(try await Self.enqueue(fixture, key: "order-1", offset: 86_399).job.id == first.sent)
        let later = try await Self.enqueue(fixture, key: "order-1", fingerprint: "body-b", offset: 86_401)
        #expect(later.job.id == later.sent)
        #expect(
            try await Self.enqueue(fixture, key: "order-1", fingerprint: "body-b", offset: 86_402).job.id == later.sent)
    }

    @Test("concurrent enqueues with one key commit exactly one job", arguments: StoreKind.allCases)
    func concurrentIdempotentEnqueues(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let ids = try await withThrowingTaskGroup(of: JobID.self) { group in
            for _ in 0..<24 {
                group.addTask { try await Self.enqueue(fixture, key: "race").job.id }
            }
            return try await group.reduce(into: Set<JobID>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(try await fixture.store.list(ListParams()).jobs.map(\.id) == Array(ids))
    }

    @Test(
        "a key's job is read without writing: by tenant, within 24 hours, refused for another body",
        arguments: StoreKind.allCases)
    func jobNamedByKey(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let key = IdempotencyKey(key: "order-1", fingerprint: "body-a")
        func named(_ key: IdempotencyKey, tenant: String = "default", offset: Double) async throws -> JobID? {
            try await fixture.store.job(named: key, tenant: tenant, now: StoreFixture.t0.addingTimeInterval(offset))?
                .id
        }
        #expect(try await named(key, offset: 0) == nil)
        let first = try await Self.enqueue(fixture, key: "order-1")
        #expect(try await named(key, offset: 60) == first.sent)
        #expect(try await named(key, tenant: "other", offset: 60) == nil)
        #expect(try await named(key, offset: 86_401) == nil)
        await #expect(throws: JobStoreError.idempotencyKeyReused(first.sent)) {
            try await named(IdempotencyKey(key: "order-1", fingerprint: "body-b"), offset: 60)
        }
    }
}
