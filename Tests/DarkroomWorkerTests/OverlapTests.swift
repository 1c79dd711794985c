import DarkroomBackends
import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// The GPU never waits (issue 14): a slot's next request reaches the server as soon as the last one answered,
/// while that answer is still being finished and stored; and the next job is claimed at the last step.
@Suite(.timeLimit(.minutes(5))) struct OverlapTests {
    let fixture: WorkerFixture

    init() async throws {
        fixture = try await WorkerFixture()
    }

    @Test("the next request goes to the server before the previous answer's images are finished")
    func nextRequestOverlapsTheAnswer() async throws {
        // Job 1's images finish only once job 2 is on the server: a worker that finished and stored job 1
        // before sending job 2 would never get there (and the suite's time limit would fail it).
        let backend = StagedBackend(imagesAwaitRunOf: [1: 2])
        try await fixture.whileRunning(fixture.pool(backend)) {
            let first = try await fixture.submit(seed: 1)
            let second = try await fixture.submit(seed: 2)
            for job in [first, second] {
                let done = try await fixture.waitFor(job.id) { $0.state.isTerminal }
                #expect(done.state == .succeeded)
            }
        }
        let history = backend.history
        let secondStarted = try #require(history.firstIndex(of: .runStarted(2)))
        #expect(try #require(history.firstIndex(of: .runEnded(1))) < secondStarted)
        #expect(secondStarted < (try #require(history.firstIndex(of: .imagesDone(1)))))
        #expect(backend.mostRequestsAtOnce == 1, "one request at a time on the server")
    }

    @Test("a job is claimed when the running one reaches its last step, and sent when that one answers")
    func claimsAheadAtTheLastStep() async throws {
        let backend = StagedBackend(holdRun: [1])
        try await fixture.whileRunning(fixture.pool(backend)) {
            let first = try await fixture.submit(seed: 1)
            for await event in backend.events where event == .runStarted(1) { break }
            let second = try await fixture.submit(seed: 2)
            // Job 1 has reported its last step and is held on the server: job 2 is claimed to follow it ...
            let claimed = try await fixture.waitFor(second.id) { $0.state == .running }
            #expect(claimed.attempt == 1)
            // ... but not sent while job 1 is on the server.
            #expect(!backend.history.contains(.runStarted(2)))
            let third = try await fixture.submit(seed: 3)
            backend.releaseRun(1)
            for job in [first, second, third] {
                let done = try await fixture.waitFor(job.id) { $0.state.isTerminal }
                #expect(done.state == .succeeded)
            }
        }
        #expect(backend.mostRequestsAtOnce == 1)
        let starts = backend.history.compactMap { event -> Int64? in
            if case .runStarted(let seed) = event { seed } else { nil }
        }
        #expect(starts == [1, 2, 3])
    }

    @Test("a job claimed ahead and canceled while it waits for its turn never reaches the server")
    func cancelWhileWaitingForTheTurn() async throws {
        let backend = StagedBackend(holdRun: [1])
        try await fixture.whileRunning(fixture.pool(backend)) {
            let first = try await fixture.submit(seed: 1)
            for await event in backend.events where event == .runStarted(1) { break }
            let second = try await fixture.submit(seed: 2)
            _ = try await fixture.waitFor(second.id) { $0.state == .running }
            _ = try await fixture.store.cancel(CancelParams(id: second.id))
            let canceled = try await fixture.waitFor(second.id) { $0.state.isTerminal }
            #expect(canceled.state == .canceled)
            backend.releaseRun(1)
            let done = try await fixture.waitFor(first.id) { $0.state.isTerminal }
            #expect(done.state == .succeeded)
            let after = try await fixture.submit(seed: 3)
            let third = try await fixture.waitFor(after.id) { $0.state.isTerminal }
            #expect(third.state == .succeeded)
        }
        #expect(!backend.history.contains(.runStarted(2)))
    }

    @Test("a drain hands a job claimed ahead back to the queue unrun, its attempt not counted")
    func drainHandsBackAJobClaimedAhead() async throws {
        let backend = StagedBackend(holdRun: [1])
        let pool = fixture.pool(backend)
        try await testGracefulShutdown { trigger in
            let task = Task { try await pool.run() }
            let first = try await fixture.submit(seed: 1)
            for await event in backend.events where event == .runStarted(1) { break }
            let second = try await fixture.submit(seed: 2)
            _ = try await fixture.waitFor(second.id) { $0.state == .running }
            trigger.triggerGracefulShutdown()
            let handedBack = try await fixture.waitFor(second.id) { $0.state == .queued }
            #expect(handedBack.attempt == 0)
            backend.releaseRun(1)
            try await task.value
            #expect(try await fixture.store.job(id: first.id)?.state == .succeeded)
            #expect(try await fixture.store.job(id: second.id)?.state == .queued)
        }
        #expect(!backend.history.contains(.runStarted(2)))
    }
}
