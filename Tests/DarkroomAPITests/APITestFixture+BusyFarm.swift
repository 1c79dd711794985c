import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// A farm with a queue, for the admission tests.
extension APITestFixture {
    /// One slot, busy; a job just took the server 10 s; five jobs wait. A new job would start in 60 s
    /// (six service times: the five ahead and the running one) and finish in 70 s.
    func busyFarm() async throws -> any CapacitySource {
        _ = try await store.enqueue(
            EnqueueParams(id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "done", seed: 1)))
        let claimed = try #require(
            try await store.claim(ClaimParams(owner: "w", backend: "b", leaseDuration: .seconds(60))).first)
        _ = try await store.complete(
            CompleteParams(lease: try #require(LeaseRef(claimed)), images: [], serviceTime: .seconds(10)))
        for index in 0..<5 {
            _ = try await store.enqueue(
                EnqueueParams(id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "\(index)", seed: 1)))
        }
        return FixedCapacity(Capacity(slots: 1, busySlots: 1))
    }

    /// `configuration` with its wall clock standing at this moment, for a test that has just made ``busyFarm()``:
    /// the farm's job then stays in the figures' recent minute (which gives its service time) however long a busy
    /// machine takes over the test. Under `stress-ng` one test took 82 s, and a newcomer was then admitted on a
    /// service time forgotten.
    func holdingClock(_ configuration: APIConfiguration = APIConfiguration()) -> APIConfiguration {
        var held = configuration
        let farmJobFinished = Date()
        held.wallClock = { farmJobFinished }
        return held
    }

    /// How many jobs are queued.
    func queuedCount() async throws -> Int {
        try await store.list(ListParams(state: .queued, limit: 100)).jobs.count
    }
}
