import DarkroomCore
import DarkroomStore
import Foundation
import Testing

extension APITestFixture {
    /// Enqueues, claims and completes a job of `tenant` that took `seconds` on its GPU and finished at `finish`
    /// (the queue must be otherwise empty).
    func finishJob(of tenant: String, seconds: Int, at finish: Date) async throws {
        _ = try await store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: Date()), tenant: tenant, request: GenerationRequest(prompt: "p", seed: 1)))
        let claimed = try #require(
            try await store.claim(ClaimParams(owner: "w", backend: "b", leaseDuration: .seconds(60))).first)
        _ = try await store.complete(
            CompleteParams(
                lease: try #require(LeaseRef(claimed)), images: [], serviceTime: .seconds(seconds), now: finish))
    }
}
