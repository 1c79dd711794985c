import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// Weighted-fair claims (docs/tenants.md, "Fair share"): turns in proportion to the tenants' weights, priority
/// within a tenant only, a newcomer served at once.
extension JobQueueConformanceTests {
    @Test(
        "two backlogged tenants of weights 1 and 3 get their first eight turns 2 and 6", arguments: StoreKind.allCases)
    func turnsFollowWeights(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        _ = try await fixture.store.createTenant(Tenant(name: "light", weight: 1, createdAt: fixture.at(0)))
        _ = try await fixture.store.createTenant(Tenant(name: "heavy", weight: 3, createdAt: fixture.at(0)))
        // The light tenant queues all of its jobs first: order of arrival earns nothing past its share.
        for index in 0..<8 { _ = try await fixture.insertJob(tenant: "light", createdOffset: Double(index) / 100) }
        for index in 0..<8 { _ = try await fixture.insertJob(tenant: "heavy", createdOffset: 1 + Double(index) / 100) }
        var tenants: [String] = []
        for offset in 0..<8 { tenants += try await fixture.claim(offset: 10 + Double(offset)).map(\.tenant) }
        #expect(tenants.filter { $0 == "light" }.count == 2, "\(tenants)")
        #expect(tenants.filter { $0 == "heavy" }.count == 6, "\(tenants)")
    }

    @Test(
        "a tenant's own priority picks which of its jobs takes its turn, not whose turn it is",
        arguments: StoreKind.allCases)
    func priorityWithinTenant(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        _ = try await fixture.store.createTenant(Tenant(name: "a", createdAt: fixture.at(0)))
        _ = try await fixture.store.createTenant(Tenant(name: "b", createdAt: fixture.at(0)))
        for index in 0..<4 { _ = try await fixture.insertJob(tenant: "a", priority: 5, createdOffset: Double(index)) }
        for index in 0..<4 {
            _ = try await fixture.insertJob(tenant: "b", priority: 5, createdOffset: 4 + Double(index))
        }
        let urgent = try await fixture.insertJob(tenant: "a", priority: 9, createdOffset: 8)
        var claimed: [Job] = []
        for offset in 0..<4 { claimed += try await fixture.claim(offset: 10 + Double(offset)) }
        // Turns alternate (b first: it arrived to a queue a was already in); a's first turn goes to its urgent
        // job, and b loses none of its turns to it.
        #expect(claimed.map(\.tenant) == ["b", "a", "b", "a"], "\(claimed.map(\.tenant))")
        #expect(claimed[1].id == urgent.id)
        // Every job is claimed once: the swap of places lost nothing.
        for offset in 4..<20 { claimed += try await fixture.claim(offset: 10 + Double(offset)) }
        #expect(claimed.count == 9)
        #expect(Set(claimed.map(\.id)).count == 9)
    }

    @Test(
        "a tenant that queues while another is backlogged is served within its next two turns",
        arguments: StoreKind.allCases)
    func newcomerStartsAtOnce(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        _ = try await fixture.store.createTenant(Tenant(name: "busy", createdAt: fixture.at(0)))
        _ = try await fixture.store.createTenant(Tenant(name: "late", createdAt: fixture.at(0)))
        for index in 0..<20 { _ = try await fixture.insertJob(tenant: "busy", createdOffset: Double(index) / 100) }
        for offset in 0..<6 { _ = try await fixture.claim(offset: 1 + Double(offset)) }
        let late = try await fixture.insertJob(tenant: "late", createdOffset: 8)
        var next: [JobID] = []
        for offset in 0..<2 { next += try await fixture.claim(offset: 10 + Double(offset)).map(\.id) }
        #expect(next.contains(late.id), "the late tenant's job waits for no backlog but a turn")
    }

    @Test("a batch claim takes turns across tenants", arguments: StoreKind.allCases)
    func batchTakesTurns(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        _ = try await fixture.store.createTenant(Tenant(name: "a", createdAt: fixture.at(0)))
        _ = try await fixture.store.createTenant(Tenant(name: "b", createdAt: fixture.at(0)))
        for index in 0..<4 { _ = try await fixture.insertJob(tenant: "a", createdOffset: Double(index)) }
        for index in 0..<4 { _ = try await fixture.insertJob(tenant: "b", createdOffset: 4 + Double(index)) }
        let claimed = try await fixture.claim(limit: 4, offset: 10)
        #expect(claimed.filter { $0.tenant == "a" }.count == 2)
        #expect(claimed.filter { $0.tenant == "b" }.count == 2)
    }
}
