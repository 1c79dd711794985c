import DarkroomCore
import DarkroomStore
import Foundation
import Synchronization
import Testing

@testable import DarkroomAPI

/// Queue figures are read by one caller at a time: the others wait for that read or keep the previous figures.
@Suite(.timeLimit(.minutes(5))) struct QueueFiguresTests {
    /// A stand-in for the store's `stats`: the n-th read returns n as the queued count, once the test has let n
    /// reads finish.
    final class Reads: Sendable {
        private let state = Mutex<(started: Int, finished: Int, waiting: [CheckedContinuation<Void, Never>])>(
            (0, 0, []))

        var count: Int { state.withLock { $0.started } }

        func read() async -> StoreStats {
            let number = state.withLock { state in
                state.started += 1
                return state.started
            }
            // Suspends until the test has let this read finish.
            await withCheckedContinuation { continuation in
                let released = state.withLock { state in
                    if state.finished >= number { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if released { continuation.resume() }
            }
            return StoreStats(
                counts: [.queued: number], recentSucceeded: 0, recentFailed: 0, recentCanceled: 0,
                recentMeanServiceSeconds: 0, recentMeanLatencySeconds: 0)
        }

        func finishOne() {
            let waiting = state.withLock { state in
                state.finished += 1
                return state.waiting.isEmpty ? nil : state.waiting.removeFirst()
            }
            waiting?.resume()
        }
    }

    @Test("callers arriving together before the first figures share one read")
    func firstReadIsShared() async throws {
        let reads = Reads()
        let figures = QueueFigures(recentWindow: .seconds(60), cacheDuration: .seconds(3_600)) { _ in
            await reads.read()
        }
        let callers = (0..<20).map { _ in Task { try await figures.stats() } }
        while reads.count == 0 { await Task.yield() }
        reads.finishOne()
        for caller in callers { #expect(try await caller.value.count(.queued) == 1) }
        #expect(reads.count == 1)
    }

    @Test("each read leaves its minute's completions in the history, dated by the wall clock")
    func readsFeedTheHistory() async throws {
        let date = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let figures = QueueFigures(
            recentWindow: .seconds(60), cacheDuration: .zero, wallClock: { date.withLock { $0 } }
        ) { _ in
            StoreStats(
                counts: [:], recentSucceeded: 9, recentFailed: 3, recentCanceled: 5, recentMeanServiceSeconds: 1,
                recentMeanLatencySeconds: 1)
        }
        _ = try await figures.stats()
        let samples = figures.history.recent(at: date.withLock { $0 })
        #expect(samples == [CompletionHistory.Sample(at: Date(timeIntervalSince1970: 1_800_000_000), perMinute: 12)])
    }

    @Test("once the figures are due, one caller reads them and the others answer with the previous ones")
    func dueFiguresAreReadOnce() async throws {
        let reads = Reads()
        let figures = QueueFigures(recentWindow: .seconds(60), cacheDuration: .zero) { _ in await reads.read() }
        let first = Task { try await figures.stats() }
        while reads.count == 0 { await Task.yield() }
        reads.finishOne()
        #expect(try await first.value.count(.queued) == 1)

        // Due at once (no cache time): the next caller starts the second read and waits for it...
        let reader = Task { try await figures.stats() }
        while reads.count == 1 { await Task.yield() }
        // ...while every other caller meanwhile gets the first figures, without a read of its own.
        for _ in 0..<10 { #expect(try await figures.stats().count(.queued) == 1) }
        #expect(reads.count == 2)
        reads.finishOne()
        #expect(try await reader.value.count(.queued) == 2)
    }
}
