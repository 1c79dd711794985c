import DarkroomCore
import DarkroomStore
import Foundation
import Testing

extension JobQueueConformanceTests {
    @Test("claim takes the highest priority first, then the oldest", arguments: StoreKind.allCases)
    func claimOrder(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let oldLow = try await fixture.insertJob(priority: 2, createdOffset: 0)
        let newHigh = try await fixture.insertJob(priority: 9, createdOffset: 3)
        let oldMid = try await fixture.insertJob(priority: 5, createdOffset: 1)
        let newMid = try await fixture.insertJob(priority: 5, createdOffset: 2)
        var order: [JobID] = []
        for offset in 10..<14 {
            order += try await fixture.claim(offset: Double(offset)).map(\.id)
        }
        #expect(order == [newHigh.id, oldMid.id, newMid.id, oldLow.id])
        #expect(try await fixture.claim(offset: 20).isEmpty)
    }

    @Test("a batch claim returns jobs in claim order", arguments: StoreKind.allCases)
    func batchClaimOrder(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let low = try await fixture.insertJob(priority: 1, createdOffset: 0)
        let high = try await fixture.insertJob(priority: 8, createdOffset: 1)
        let claimed = try await fixture.claim(limit: 5, offset: 5)
        #expect(claimed.map(\.id) == [high.id, low.id])
    }

    @Test("claim starts a lease, counts the attempt and raises the fencing token", arguments: StoreKind.allCases)
    func claimStartsLease(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        try await fixture.insertJob()
        let first = try #require(try await fixture.claim(owner: "w1", offset: 5).first)
        #expect(first.state == .running)
        #expect(first.attempt == 1)
        #expect(first.startedAt == fixture.at(5))
        #expect(first.backend == "sim-0")
        let lease = try #require(first.lease)
        #expect(lease.owner == "w1")
        #expect(lease.expiresAt == fixture.at(35))

        let requeued = try await fixture.store.retry(
            RetryParams(lease: try #require(LeaseRef(first)), runAfter: fixture.at(6), now: fixture.at(6)))
        #expect(requeued.state == .queued && requeued.lease == nil)
        let second = try #require(try await fixture.claim(owner: "w2", offset: 7).first)
        #expect(second.attempt == 2)
        #expect(try #require(second.lease).token > lease.token)
    }

    @Test("claim skips jobs whose backoff has not passed", arguments: StoreKind.allCases)
    func claimHonoursRunAfter(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob(offset: 1)
        _ = try await fixture.store.retry(
            RetryParams(lease: try #require(LeaseRef(running)), runAfter: fixture.at(60), now: fixture.at(2)))
        #expect(try await fixture.claim(offset: 59).isEmpty)
        #expect(try await fixture.claim(offset: 60).map(\.id) == [running.id])
    }

    @Test("concurrent claims never return the same job twice", arguments: StoreKind.allCases)
    func concurrentClaims(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        for index in 0..<20 { try await fixture.insertJob(createdOffset: Double(index)) }
        let claimed = try await withThrowingTaskGroup(of: [JobID].self) { group in
            for worker in 0..<8 {
                group.addTask { try await fixture.claim(owner: "w\(worker)", limit: 4, offset: 100).map(\.id) }
            }
            return try await group.reduce(into: [JobID]()) { $0 += $1 }
        }
        #expect(claimed.count == 20)
        #expect(Set(claimed).count == 20)
    }
}
