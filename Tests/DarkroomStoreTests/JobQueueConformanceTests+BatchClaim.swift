import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// A batch claim takes a batch's turns at once where it can (on PostgreSQL, `BatchClaimSQL`): it must take the
/// jobs that as many single claims would take, and leave the rest in the places single claims would leave them.
extension JobQueueConformanceTests {
    @Test(
        "a batch claim takes the jobs single claims would, and leaves the rest in the same fair order",
        arguments: StoreKind.allCases, [1, 3, 6])
    func batchClaimMatchesSingleClaims(kind: StoreKind, limit: Int) async throws {
        try await Self.compareBatchWithSingleClaims(kind, limit: limit, affinity: nil)
    }

    @Test(
        "with a model loaded that some jobs want, a batch claim still takes the jobs single claims would",
        arguments: StoreKind.allCases, [3, 6])
    func batchClaimWithAffinityMatchesSingleClaims(kind: StoreKind, limit: Int) async throws {
        let anime = GenerationRequest(prompt: "portrait", seed: 1, loras: Self.animeLoRA).affinity
        try await Self.compareBatchWithSingleClaims(kind, limit: limit, affinity: anime)
    }

    /// Claims `limit` jobs at once from one queue and one at a time from a copy, then the rest one at a time from
    /// both, and compares what each took.
    private static func compareBatchWithSingleClaims(
        _ kind: StoreKind, limit: Int, affinity: ModelAffinity?
    ) async throws {
        let batched = try await LabelledQueue(kind)
        let single = try await LabelledQueue(kind)
        let batch = try await batched.claim(limit: limit, affinity: affinity, offset: 20)
        var singles: [String?] = []
        for _ in 0..<limit { singles += try await single.claim(affinity: affinity, offset: 20) }
        #expect(batch.count == limit)
        #expect(Set(batch) == Set(singles), "batch \(batch), single claims \(singles)")
        // The jobs left behind come out in the same order: the batch moved them as the single claims did.
        var restBatched: [String?] = []
        var restSingle: [String?] = []
        for offset in 0..<12 {
            restBatched += try await batched.claim(affinity: affinity, offset: 21 + Double(offset))
            restSingle += try await single.claim(affinity: affinity, offset: 21 + Double(offset))
        }
        #expect(restBatched == restSingle)
        #expect(Set(batch + restBatched).count == 12, "every job is claimed once")
    }

    /// Two tenants of weights 1 and 2, each with jobs of two priorities whose urgent ones arrive last, so their
    /// turns go to other jobs than their own, and every third job for another model; each job labelled by tenant,
    /// arrival and priority.
    private struct LabelledQueue {
        let fixture: StoreFixture
        var labels: [JobID: String] = [:]

        init(_ kind: StoreKind) async throws {
            fixture = try await kind.makeStore()
            _ = try await fixture.store.createTenant(Tenant(name: "a", weight: 1, createdAt: fixture.at(0)))
            _ = try await fixture.store.createTenant(Tenant(name: "b", weight: 2, createdAt: fixture.at(0)))
            let plan: [(tenant: String, priority: Int)] = [
                ("a", 5), ("b", 5), ("a", 5), ("b", 5), ("a", 5), ("b", 5), ("b", 5), ("a", 9), ("b", 9), ("a", 9),
                ("b", 5), ("a", 5),
            ]
            for (index, job) in plan.enumerated() {
                let inserted = try await fixture.insertJob(
                    tenant: job.tenant, priority: job.priority, createdOffset: Double(index),
                    loras: index % 3 == 2 ? JobQueueConformanceTests.animeLoRA : JobQueueConformanceTests.portraitLoRA)
                labels[inserted.id] = "\(job.tenant)\(index)/p\(job.priority)"
            }
        }

        /// The labels of the jobs a claim takes.
        func claim(limit: Int = 1, affinity: ModelAffinity?, offset: Double) async throws -> [String?] {
            try await fixture.claim(limit: limit, affinity: affinity, offset: offset).map { labels[$0.id] }
        }
    }
}
