import DarkroomCore
import DarkroomStore
import Foundation
import Testing

extension StoreFixture {
    /// Enqueues a job at `t0` whose deadline is `t0 + deadline` seconds.
    @discardableResult
    func insertJob(deadline: Double, createdOffset: Double = 0) async throws -> Job {
        let created = at(createdOffset)
        return try await store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: created), request: GenerationRequest(prompt: "portrait", seed: 1),
                deadline: at(deadline), now: created))
    }

    func expireOverdue(at offset: Double, limit: Int = 500) async throws -> [Job] {
        try await store.expireOverdue(ExpireParams(limit: limit, now: at(offset)))
    }
}

extension JobQueueConformanceTests {
    @Test(
        "a queued job past its deadline is never claimed; the sweep ends it expired, once",
        arguments: StoreKind.allCases)
    func queuedJobExpires(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let overdue = try await fixture.insertJob(deadline: 10)
        #expect(overdue.deadline == fixture.at(10))
        #expect(try await fixture.store.job(id: overdue.id)?.deadline == fixture.at(10))
        let later = try await fixture.insertJob(deadline: 100, createdOffset: 1)
        let timeless = try await fixture.insertJob(createdOffset: 2)

        // Past the first deadline a claim skips that job though it is the oldest.
        #expect(try await fixture.claim(offset: 11).map(\.id) == [later.id])
        #expect(try await fixture.expireOverdue(at: 9).isEmpty)
        let expired = try await fixture.expireOverdue(at: 12)
        #expect(expired.map(\.id) == [overdue.id])
        #expect(expired.first?.state == .expired)
        #expect(expired.first?.failure == .deadlineExceeded)
        #expect(expired.first?.finishedAt == fixture.at(12))
        #expect(try await fixture.expireOverdue(at: 13).isEmpty)
        // A job with no deadline never expires.
        #expect(try await fixture.expireOverdue(at: 1_000_000).map(\.id) == [later.id])
        #expect(try await fixture.store.job(id: timeless.id)?.state == .queued)
    }

    @Test("a running job past its deadline ends expired; its worker's lease is gone", arguments: StoreKind.allCases)
    func runningJobExpires(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        try await fixture.insertJob(deadline: 10)
        let running = try #require(try await fixture.claim(offset: 1).first)
        let expired = try await fixture.expireOverdue(at: 10)
        #expect(expired.map(\.id) == [running.id])
        #expect(expired.first?.state == .expired)
        #expect(expired.first?.lease == nil)
        let lease = try #require(LeaseRef(running))
        await #expect(throws: JobStoreError.leaseLost(running.id)) {
            try await fixture.store.complete(CompleteParams(lease: lease, images: [], now: fixture.at(11)))
        }
        await #expect(throws: JobStoreError.leaseLost(running.id)) {
            try await fixture.store.heartbeat(
                HeartbeatParams(lease: lease, leaseDuration: StoreFixture.lease, now: fixture.at(11)))
        }
        #expect(try await fixture.store.job(id: running.id)?.state == .expired)
    }

    @Test("a job that ended first keeps its end: the sweep passes over it", arguments: StoreKind.allCases)
    func endedJobsDoNotExpire(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        try await fixture.insertJob(deadline: 10)
        let running = try #require(try await fixture.claim(offset: 1).first)
        _ = try await fixture.store.complete(
            CompleteParams(lease: try #require(LeaseRef(running)), images: [], now: fixture.at(5)))
        let canceled = try await fixture.insertJob(deadline: 10, createdOffset: 2)
        _ = try await fixture.store.cancel(CancelParams(id: canceled.id, now: fixture.at(6)))

        #expect(try await fixture.expireOverdue(at: 20).isEmpty)
        #expect(try await fixture.store.job(id: running.id)?.state == .succeeded)
        #expect(try await fixture.store.job(id: canceled.id)?.state == .canceled)
        // And an expired job cannot be canceled or completed after.
        let late = try await fixture.insertJob(deadline: 30, createdOffset: 3)
        _ = try await fixture.expireOverdue(at: 31)
        await #expect(throws: JobStoreError.conflict(late.id, state: .expired)) {
            try await fixture.store.cancel(CancelParams(id: late.id, now: fixture.at(32)))
        }
    }

    @Test(
        "a sweep ends at most its limit; the next takes the rest, oldest deadline first", arguments: StoreKind.allCases)
    func sweepsInBatches(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        var jobs: [Job] = []
        for index in 0..<5 { jobs.append(try await fixture.insertJob(deadline: Double(10 - index))) }
        let first = try await fixture.expireOverdue(at: 20, limit: 3)
        #expect(first.map(\.id).sorted() == jobs[2...4].map(\.id).sorted())
        let second = try await fixture.expireOverdue(at: 20, limit: 3)
        #expect(second.map(\.id).sorted() == jobs[0...1].map(\.id).sorted())
    }
}

extension JobQueueConformanceTests {
    @Test("an expired job's webhook gets a job.expired delivery, by default", arguments: StoreKind.allCases)
    func expiryIsDelivered(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let job = try await fixture.store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: fixture.at(0)), request: GenerationRequest(prompt: "portrait", seed: 1),
                webhook: WebhookSubscription(url: "https://hooks.example.com/x"), deadline: fixture.at(10),
                now: fixture.at(0)))
        _ = try await fixture.expireOverdue(at: 11)
        let deliveries = try await fixture.store.webhookDeliveries(of: job.id)
        #expect(deliveries.map(\.event) == [.expired])
    }
}
