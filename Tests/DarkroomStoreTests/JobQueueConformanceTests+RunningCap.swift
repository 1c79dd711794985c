import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// A tenant's cap on running jobs (`--max-running`, docs/tenants.md): the claim passes over a capped tenant, its
/// turns go to the others, and it banks no credit for them.
extension JobQueueConformanceTests {
    @Test(
        "a tenant at its cap on running jobs is passed over; once one ends it takes turns again, without a burst",
        arguments: StoreKind.allCases)
    func runningCap(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        _ = try await fixture.store.createTenant(
            Tenant(name: "capped", limits: TenantLimits(maxRunning: 1), createdAt: fixture.at(0)))
        _ = try await fixture.store.createTenant(Tenant(name: "open", createdAt: fixture.at(0)))
        for index in 0..<6 {
            _ = try await fixture.insertJob(tenant: "capped", createdOffset: Double(index) / 100)
            _ = try await fixture.insertJob(tenant: "open", createdOffset: Double(index) / 100 + 0.001)
        }
        // Turns alternate, the open tenant's first (it arrived second, to a queue the other was already in). With
        // one job running the capped tenant is at its cap, so the open tenant takes the next three turns, though
        // two of them were the capped tenant's.
        var claimed: [Job] = []
        for offset in 0..<5 { claimed += try await fixture.claim(offset: 1 + Double(offset) / 10) }
        #expect(claimed.map(\.tenant) == ["open", "capped", "open", "open", "open"], "\(claimed.map(\.tenant))")

        // Its job ends: it takes the next turn, then the two alternate; the passed turns are not paid back.
        let running = try #require(claimed.first { $0.tenant == "capped" })
        _ = try await fixture.store.complete(
            CompleteParams(lease: try #require(LeaseRef(running)), images: [], now: fixture.at(2)))
        var after: [String] = []
        for offset in 0..<3 {
            let job = try #require(try await fixture.claim(offset: 3 + Double(offset) / 10).first)
            after.append(job.tenant)
            if job.tenant == "capped" {
                _ = try await fixture.store.complete(
                    CompleteParams(lease: try #require(LeaseRef(job)), images: [], now: fixture.at(4)))
            }
        }
        #expect(after == ["capped", "open", "capped"], "\(after)")
    }

    @Test("when every queued job's tenant is at its cap, a claim takes nothing", arguments: StoreKind.allCases)
    func everyTenantCapped(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        _ = try await fixture.store.createTenant(
            Tenant(name: "capped", limits: TenantLimits(maxRunning: 2), createdAt: fixture.at(0)))
        for index in 0..<4 { _ = try await fixture.insertJob(tenant: "capped", createdOffset: Double(index)) }
        let claimed = try await fixture.claim(limit: 4, offset: 10)
        #expect(claimed.count == 2)
        #expect(try await fixture.claim(offset: 11).isEmpty)
        #expect(try await fixture.store.unfinishedJobs(of: "capped") == TenantBacklog(queued: 2, running: 2))
    }
}
