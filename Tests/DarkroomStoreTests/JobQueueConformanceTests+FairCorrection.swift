import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// The fair share corrected with measured GPU time (docs/tenants.md, "Fair share"): a tenant whose job took more
/// than its size predicted gives up a turn, one whose jobs took less gains one.
extension JobQueueConformanceTests {
    /// Tenants `a` and `b` (weight 1) with four jobs each, `a`'s queued first: turns go b, a, b, a, … . Claims the
    /// first two (b's, then a's) and returns a's.
    private static func twoBacklogs(_ fixture: StoreFixture) async throws -> Job {
        _ = try await fixture.store.createTenant(Tenant(name: "a", createdAt: fixture.at(0)))
        _ = try await fixture.store.createTenant(Tenant(name: "b", createdAt: fixture.at(0)))
        for index in 0..<4 { _ = try await fixture.insertJob(tenant: "a", createdOffset: Double(index)) }
        for index in 0..<4 { _ = try await fixture.insertJob(tenant: "b", createdOffset: 4 + Double(index)) }
        let first = try await fixture.claim(offset: 10) + fixture.claim(offset: 11)
        try #require(first.map(\.tenant) == ["b", "a"])
        return first[1]
    }

    private static func complete(_ job: Job, correction: Double?, at offset: Double, _ fixture: StoreFixture)
        async throws
    {
        _ = try await fixture.store.complete(
            CompleteParams(
                lease: try #require(LeaseRef(job)), images: [], costCorrection: correction, now: fixture.at(offset)))
    }

    private static func tenantsOfNextClaims(_ count: Int, from offset: Double, _ fixture: StoreFixture)
        async throws -> [String]
    {
        var tenants: [String] = []
        for index in 0..<count { tenants += try await fixture.claim(offset: offset + Double(index)).map(\.tenant) }
        return tenants
    }

    @Test(
        "a job that took twice its predicted GPU time moves its tenant's next turns back by one",
        arguments: StoreKind.allCases)
    func overrunGivesUpATurn(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let job = try await Self.twoBacklogs(fixture)
        try await Self.complete(job, correction: 1, at: 12, fixture)
        let tenants = try await Self.tenantsOfNextClaims(6, from: 13, fixture)
        #expect(tenants == ["b", "b", "a", "b", "a", "a"], "without the correction: b, a, b, a, b, a")
    }

    @Test(
        "jobs that took half their predicted GPU time, twice, bring their tenant's turns forward by one",
        arguments: StoreKind.allCases)
    func shortfallsAddUpToATurn(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let first = try await Self.twoBacklogs(fixture)
        // Half a turn is owed to `a`: nothing moves yet, b's turn comes first as it would have.
        try await Self.complete(first, correction: -0.5, at: 12, fixture)
        let next = try await Self.tenantsOfNextClaims(2, from: 13, fixture)
        try #require(next == ["b", "a"])
        let second = try #require(
            try await fixture.store.list(ListParams(state: .running)).jobs.first { $0.tenant == "a" })
        try await Self.complete(second, correction: -0.5, at: 15, fixture)
        let tenants = try await Self.tenantsOfNextClaims(4, from: 16, fixture)
        #expect(tenants == ["a", "b", "a", "b"], "without the corrections: b, a, b, a")
    }

    @Test("a completion without a correction moves no turn", arguments: StoreKind.allCases)
    func noCorrectionNoMove(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let job = try await Self.twoBacklogs(fixture)
        try await Self.complete(job, correction: nil, at: 12, fixture)
        let tenants = try await Self.tenantsOfNextClaims(6, from: 13, fixture)
        #expect(tenants == ["b", "a", "b", "a", "b", "a"])
    }
}
