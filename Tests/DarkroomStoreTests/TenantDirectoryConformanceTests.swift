import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// The ``TenantDirectory`` contract, each sentence a test, run against every store.
@Suite("Tenant directory conformance")
struct TenantDirectoryConformanceTests {
    @Test(
        "a migrated store has the default tenant; a new tenant keeps its settings; a taken name is refused",
        arguments: StoreKind.allCases)
    func createAndRead(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let directory = fixture.store
        #expect(try await directory.tenants().map(\.name) == [Tenant.defaultName])
        let limits = TenantLimits(maxQueued: 10, maxRunning: 2, ratePerSecond: 0.5, burst: 3, dailyGPUSeconds: 3600)
        let acme = Tenant(name: "acme", weight: 4, limits: limits, createdAt: fixture.at(0))
        let created = try await directory.createTenant(acme)
        #expect(created == acme)
        #expect(try await directory.tenant(named: "acme") == acme)
        #expect(try await directory.tenant(named: "nobody") == nil)
        await #expect(throws: TenantDirectoryError.tenantExists("acme")) {
            try await directory.createTenant(Tenant(name: "acme", createdAt: fixture.at(1)))
        }
        _ = try await directory.createTenant(Tenant(name: "beta", createdAt: fixture.at(2)))
        #expect(try await directory.tenants().map(\.name) == ["acme", "beta", Tenant.defaultName])
    }

    @Test(
        "an update replaces weight and limits and keeps name and creation time; an unknown tenant is refused",
        arguments: StoreKind.allCases)
    func update(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let directory = fixture.store
        let acme = try await directory.createTenant(
            Tenant(name: "acme", limits: TenantLimits(maxQueued: 5), createdAt: fixture.at(0)))
        var changed = acme
        changed.weight = 2.5
        changed.limits = TenantLimits(maxRunning: 1)
        changed.createdAt = fixture.at(99)
        let updated = try await directory.updateTenant(changed)
        #expect(updated.weight == 2.5)
        #expect(updated.limits == TenantLimits(maxRunning: 1))
        #expect(updated.createdAt == acme.createdAt)
        #expect(try await directory.tenant(named: "acme") == updated)
        await #expect(throws: TenantDirectoryError.tenantNotFound("ghost")) {
            try await directory.updateTenant(Tenant(name: "ghost"))
        }
    }

    @Test(
        "keys: stored with their hash, listed oldest first, revoked once, gone with their tenant",
        arguments: StoreKind.allCases)
    func keys(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let directory = fixture.store
        _ = try await directory.createTenant(Tenant(name: "acme", createdAt: fixture.at(0)))
        let first = APIKey(id: "aaaaaaaaaaaa", tenant: "acme", label: "ci", isAdmin: true, createdAt: fixture.at(1))
        let second = APIKey(id: "bbbbbbbbbbbb", tenant: Tenant.defaultName, createdAt: fixture.at(2))
        #expect(try await directory.createKey(first, secretHash: "hash-a") == first)
        #expect(try await directory.createKey(second, secretHash: "hash-b") == second)
        await #expect(throws: TenantDirectoryError.keyExists(first.id)) {
            try await directory.createKey(first, secretHash: "other")
        }
        await #expect(throws: TenantDirectoryError.tenantNotFound("ghost")) {
            try await directory.createKey(APIKey(id: "cccccccccccc", tenant: "ghost"), secretHash: "x")
        }
        #expect(try await directory.keys(tenant: nil) == [first, second])
        #expect(try await directory.keys(tenant: "acme") == [first])
        #expect(try await directory.credential(keyID: first.id) == StoredCredential(key: first, secretHash: "hash-a"))
        #expect(try await directory.credential(keyID: "cccccccccccc") == nil)

        let revoked = try await directory.revokeKey(id: first.id, now: fixture.at(10))
        #expect(revoked.revokedAt == fixture.at(10))
        // Revoking again keeps the first time.
        #expect(try await directory.revokeKey(id: first.id, now: fixture.at(20)).revokedAt == fixture.at(10))
        #expect(try await directory.credential(keyID: first.id)?.key.revokedAt == fixture.at(10))
        await #expect(throws: TenantDirectoryError.keyNotFound("cccccccccccc")) {
            try await directory.revokeKey(id: "cccccccccccc", now: nil)
        }

        try await directory.deleteTenant(named: "acme")
        #expect(try await directory.tenant(named: "acme") == nil)
        #expect(try await directory.credential(keyID: first.id) == nil)
        #expect(try await directory.keys(tenant: nil) == [second])
        await #expect(throws: TenantDirectoryError.tenantNotFound("acme")) {
            try await directory.deleteTenant(named: "acme")
        }
    }

    @Test(
        "a tenant's jobs stay after the tenant is deleted; lists and backlog counts by tenant",
        arguments: StoreKind.allCases)
    func jobsByTenant(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let store = fixture.store
        _ = try await store.createTenant(Tenant(name: "acme", createdAt: fixture.at(0)))
        let mine = try await fixture.insertJob(tenant: "acme", createdOffset: 1)
        let theirs = try await fixture.insertJob(createdOffset: 2)
        #expect(try await store.list(ListParams(tenant: "acme")).jobs.map(\.id) == [mine.id])
        #expect(try await store.list(ListParams(tenant: Tenant.defaultName)).jobs.map(\.id) == [theirs.id])
        #expect(try await store.list(ListParams()).jobs.map(\.id) == [theirs.id, mine.id])
        #expect(try await store.unfinishedJobs(of: "acme") == TenantBacklog(queued: 1, running: 0))
        // The oldest job, acme's, is claimed first.
        #expect(try await fixture.claim().map(\.id) == [mine.id])
        #expect(try await store.unfinishedJobs(of: "acme") == TenantBacklog(queued: 0, running: 1))
        #expect(try await store.unfinishedJobs(of: Tenant.defaultName) == TenantBacklog(queued: 1, running: 0))
        #expect(try await store.unfinishedJobs(of: "nobody") == TenantBacklog(queued: 0, running: 0))
        try await store.deleteTenant(named: "acme")
        #expect(try await store.job(id: mine.id)?.tenant == "acme")
    }

    @Test(
        "a tenant's GPU seconds count the measured time of its jobs finished since a moment, no one else's",
        arguments: StoreKind.allCases)
    func gpuSecondsSince(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let store = fixture.store
        _ = try await store.createTenant(Tenant(name: "acme", createdAt: fixture.at(0)))
        // acme's jobs finish at 10 s (7 GPU s) and 20 s (5 GPU s); the default tenant's at 30 s (100 GPU s).
        for (tenant, finish, seconds) in [("acme", 10.0, 7), ("acme", 20, 5), (Tenant.defaultName, 30, 100)] {
            try await fixture.insertFinishedJob(tenant: tenant, finish: finish, gpuSeconds: seconds)
        }
        #expect(try await store.gpuSeconds(of: "acme", since: fixture.at(0)) == 12)
        #expect(try await store.gpuSeconds(of: "acme", since: fixture.at(20)) == 5)
        #expect(try await store.gpuSeconds(of: "acme", since: fixture.at(21)) == 0)
        #expect(try await store.gpuSeconds(of: "nobody", since: fixture.at(0)) == 0)
    }

    @Test(
        "usage sums each tenant's finished jobs per UTC day, by day then tenant, and for one tenant alone",
        arguments: StoreKind.allCases)
    func usagePerDay(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let store = fixture.store
        _ = try await store.createTenant(Tenant(name: "acme", createdAt: fixture.at(0)))
        let day = floor(StoreFixture.t0.timeIntervalSince1970 / 86_400) * 86_400
        let offset = { (hours: Double) in day + hours * 3_600 - StoreFixture.t0.timeIntervalSince1970 }
        // acme: 2 jobs on day 0 (3 + 4 GPU s), 1 on day 1 (5 GPU s); default: 1 on day 1 (9 GPU s).
        let finishes = [
            ("acme", offset(1), 3), ("acme", offset(23), 4), ("acme", offset(25), 5),
            (Tenant.defaultName, offset(30), 9),
        ]
        for (tenant, finish, seconds) in finishes {
            try await fixture.insertFinishedJob(tenant: tenant, finish: finish, gpuSeconds: seconds)
        }
        let from = Date(timeIntervalSince1970: day)
        let to = Date(timeIntervalSince1970: day + 2 * 86_400)
        let all = try await store.usage(tenant: nil, from: from, to: to)
        #expect(all.map(\.tenant) == ["acme", "acme", Tenant.defaultName])
        #expect(all.map(\.day) == [from, from.addingTimeInterval(86_400), from.addingTimeInterval(86_400)])
        #expect(all.map(\.gpuSeconds) == [7, 5, 9])
        #expect(all.map(\.succeeded) == [2, 1, 1])
        #expect(all.allSatisfy { $0.failed == 0 && $0.canceled == 0 && $0.expired == 0 })
        #expect(try await store.usage(tenant: "acme", from: from, to: to).map(\.gpuSeconds) == [7, 5])
        #expect(try await store.usage(tenant: "acme", from: from.addingTimeInterval(86_400), to: to).count == 1)
    }
}
