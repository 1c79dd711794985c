import DarkroomCore
import DarkroomStore
import Foundation
import Testing

@testable import DarkroomAPI

/// `JobUpdates`: the feed and the fallback poll race, and the stream still only moves forward.
@Suite(.timeLimit(.minutes(5))) struct JobUpdatesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    @Test("when the poll sees step 12 before the feed delivers 11 and 12, neither is sent again")
    func staleFeedAfterPoll() async throws {
        let store = ReadSignalingJobQueue(base: fixture.store)
        let enqueued = try await store.enqueue(
            EnqueueParams(id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "p", steps: 12, seed: 1)))
        let claimed = try #require(
            try await store.claim(ClaimParams(owner: "w", backend: "b", leaseDuration: .seconds(60))).first)
        let lease = try #require(LeaseRef(claimed))
        let atStep: @Sendable (Int) -> HeartbeatParams = { step in
            HeartbeatParams(lease: lease, leaseDuration: .seconds(60), progress: JobProgress(step: step, steps: 12))
        }
        let stepEleven = try await store.heartbeat(atStep(11))

        let (feed, feedInput) = AsyncStream.makeStream(of: Job.self)
        let updates = JobUpdates(store: store, pollInterval: .milliseconds(5))
            .stream(of: enqueued.id, changes: feed)
        var reads = store.reads.makeAsyncIterator()
        _ = await reads.next()  // The poll has seen step 11 ...
        let stepTwelve = try await store.heartbeat(atStep(12))
        var received = updates.makeAsyncIterator()
        let first = try #require(await received.next())  // ... and now sends step 12.
        #expect(first.progress.step == 12)

        feedInput.yield(stepEleven)
        feedInput.yield(stepTwelve)
        let done = try await store.complete(CompleteParams(lease: lease, images: [], serviceTime: .seconds(1)))
        feedInput.yield(done)
        let next = try #require(await received.next())
        #expect(next.state == .succeeded)
    }
}
