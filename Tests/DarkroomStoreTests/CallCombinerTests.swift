import Synchronization
import Testing

@testable import DarkroomStore

/// Calls that arrive while a batch runs go together into the next one; each caller gets its own result.
@Suite(.timeLimit(.minutes(5))) struct CallCombinerTests {
    struct Odd: Error, Equatable {
        var value: Int
    }

    /// A batch that records its inputs, holds the first batch until released, and fails odd inputs.
    final class Recorder: Sendable {
        let batches = Mutex<[[Int]]>([])
        let firstStarted = AsyncStream<Void>.makeStream()
        let releaseFirst = AsyncStream<Void>.makeStream()

        var batch: CallCombiner<Int, Int>.Batch {
            { [self] inputs in
                let isFirst = batches.withLock { batches in
                    batches.append(inputs)
                    return batches.count == 1
                }
                if isFirst {
                    firstStarted.continuation.yield()
                    for await _ in releaseFirst.stream {}
                }
                return inputs.map { $0 % 2 == 0 ? .success($0 * 10) : .failure(Odd(value: $0)) }
            }
        }
    }

    @Test("an idle combiner runs a call alone; calls made meanwhile run together next, each with its result")
    func combines() async throws {
        let combiner = CallCombiner<Int, Int>()
        let recorder = Recorder()
        let first = Task { try await combiner.call(2, batch: recorder.batch) }
        for await _ in recorder.firstStarted.stream { break }
        let waiting = (3...6).map { value in Task { try await combiner.call(value, batch: recorder.batch) } }
        while combiner.waitingCalls < 4 { await Task.yield() }
        recorder.releaseFirst.continuation.finish()
        #expect(try await first.value == 20)
        #expect(try await waiting[1].value == 40)
        #expect(try await waiting[3].value == 60)
        await #expect(throws: Odd(value: 3)) { try await waiting[0].value }
        await #expect(throws: Odd(value: 5)) { try await waiting[2].value }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.count == 2)
        #expect(batches.first == [2])
        #expect(batches.last.map(Set.init) == [3, 4, 5, 6])
    }

    @Test("cancelling the caller that runs a batch fails nobody's call")
    func leaderCancelled() async throws {
        let combiner = CallCombiner<Int, Int>()
        let recorder = Recorder()
        let first = Task { try await combiner.call(2, batch: recorder.batch) }
        for await _ in recorder.firstStarted.stream { break }
        let second = Task { try await combiner.call(4, batch: recorder.batch) }
        while combiner.waitingCalls < 1 { await Task.yield() }
        first.cancel()
        recorder.releaseFirst.continuation.finish()
        #expect(try await first.value == 20)
        #expect(try await second.value == 40)
    }
}
