import DarkroomCore
import DarkroomStore
import Foundation
import Testing

extension JobQueueConformanceTests {
    @Test("rescue re-queues expired leases and leaves live ones alone", arguments: StoreKind.allCases)
    func rescueExpired(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let expiring = try await fixture.insertRunningJob(owner: "a", offset: 1)  // expires at 31
        try await fixture.insertJob()
        let live = try #require(try await fixture.claim(owner: "b", offset: 20).first)  // expires at 50
        let result = try await fixture.store.rescueExpired(RescueParams(now: fixture.at(40)))
        #expect(result.requeued.map(\.id) == [expiring.id])
        #expect(result.poisoned.isEmpty)
        let rescued = try #require(try await fixture.store.job(id: expiring.id))
        #expect(rescued.state == .queued)
        #expect(rescued.leaseLostCount == 1)
        #expect(rescued.lease == nil)
        #expect(try await fixture.store.job(id: live.id)?.state == .running)
    }

    @Test("rescue with a cut-off in the future takes every lease (embedded restart)", arguments: StoreKind.allCases)
    func rescueAll(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        for _ in 0..<3 { try await fixture.insertJob() }
        _ = try await fixture.claim(limit: 3, offset: 1)
        let result = try await fixture.store.rescueExpired(
            RescueParams(expiredBefore: .distantFuture, now: fixture.at(2)))
        #expect(result.requeued.count == 3)
    }

    @Test("a job whose lease is lost poisonLimit times fails with code poison", arguments: StoreKind.allCases)
    func poison(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let job = try await fixture.insertJob()
        var now = 1.0
        for round in 1...3 {
            _ = try #require(try await fixture.claim(offset: now).first)
            now += 31
            let result = try await fixture.store.rescueExpired(RescueParams(poisonLimit: 3, now: fixture.at(now)))
            if round < 3 {
                #expect(result.requeued.map(\.id) == [job.id])
            } else {
                #expect(result.poisoned.map(\.id) == [job.id])
            }
        }
        let parked = try #require(try await fixture.store.job(id: job.id))
        #expect(parked.state == .failed)
        #expect(parked.failure?.code == "poison")
        #expect(parked.leaseLostCount == 3)
    }
}
