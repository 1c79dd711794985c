import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// A store under test plus a factory for jobs in any state, with overridable defaults.
final class StoreFixture: Sendable {
    let store: any JobStore
    private let cleanup: @Sendable () -> Void

    /// A fixed instant so tests never read the wall clock.
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let lease: Duration = .seconds(30)

    init(store: any JobStore, cleanup: @escaping @Sendable () -> Void) {
        self.store = store
        self.cleanup = cleanup
    }

    deinit { cleanup() }

    /// Enqueues a job created at `t0 + createdOffset` seconds.
    @discardableResult
    func insertJob(
        tenant: String = Tenant.defaultName, priority: Int = 5, createdOffset: Double = 0, steps: Int = 8,
        seed: Int64 = 1, maxAttempts: Int = 4, loras: [LoRA] = GenerationDefaults.awPortraitZ.loras,
        metadataJSON: String? = nil
    ) async throws -> Job {
        let created = Self.t0.addingTimeInterval(createdOffset)
        return try await store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: created), tenant: tenant, priority: priority,
                request: GenerationRequest(prompt: "portrait", steps: steps, seed: seed, loras: loras),
                maxAttempts: maxAttempts,
                metadataJSON: metadataJSON, now: created))
    }

    /// Enqueues a job and claims it, so it is running under a lease that expires at `t0 + offset + 30 s`.
    func insertRunningJob(owner: String = "worker-a", offset: Double = 1, maxAttempts: Int = 4) async throws -> Job {
        try await insertJob(maxAttempts: maxAttempts)
        return try #require(try await claim(owner: owner, offset: offset).first)
    }

    /// Enqueues, claims and completes a job of `tenant` that took `gpuSeconds` on its GPU and finished at
    /// `t0 + finish` (the queue must be otherwise empty).
    func insertFinishedJob(tenant: String, finish: Double, gpuSeconds: Int) async throws {
        _ = try await insertJob(tenant: tenant, createdOffset: finish - 0.5)
        let claimed = try #require(try await claim(offset: finish - 0.25).first)
        _ = try await store.complete(
            CompleteParams(
                lease: try #require(LeaseRef(claimed)), images: [], serviceTime: .seconds(gpuSeconds), now: at(finish)))
    }

    func claim(
        owner: String = "worker-a", backend: String = "sim-0", limit: Int = 1, affinity: ModelAffinity? = nil,
        preferenceDepth: Int = 256, offset: Double = 1
    ) async throws -> [Job] {
        try await store.claim(
            ClaimParams(
                owner: owner, backend: backend, limit: limit, leaseDuration: Self.lease, affinity: affinity,
                preferenceWindow: .seconds(30), preferenceDepth: preferenceDepth,
                now: Self.t0.addingTimeInterval(offset)))
    }

    func at(_ offset: Double) -> Date { Self.t0.addingTimeInterval(offset) }
}
