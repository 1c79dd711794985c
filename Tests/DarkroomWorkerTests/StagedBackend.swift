import DarkroomBackends
import DarkroomCore
import Foundation
import Synchronization

/// A test double for a GPU server that records when each request is on the server and when its answer is
/// finished, so a test can judge how the worker overlaps them (by order, never by time).
///
/// Requests are told apart by seed. `holdRun` keeps a request on the server after its last step until
/// ``releaseRun(_:)``; `imagesAwaitRunOf` makes a request's answer finish only once that other request's run
/// has started, which only a worker that overlaps them can ever satisfy.
final class StagedBackend: Backend {
    enum Event: Sendable, Equatable {
        case runStarted(Int64)
        case runEnded(Int64)
        case imagesDone(Int64)
    }

    let id = "staged"
    let slots = 1
    let events: AsyncStream<Event>
    private let sink: AsyncStream<Event>.Continuation
    private let log = Mutex<[Event]>([])
    private let onServer = Atomic<Int>(0)
    private let mostOnServer = Atomic<Int>(0)
    private let held: Set<Int64>
    private let imagesAwaitRunOf: [Int64: Int64]
    private let gates = Mutex<[Int64: AsyncStream<Void>.Continuation]>([:])
    private let runStarts = Mutex<[Int64: AsyncStream<Void>.Continuation]>([:])
    private let startedRuns = Mutex<Set<Int64>>([])

    init(holdRun held: Set<Int64> = [], imagesAwaitRunOf: [Int64: Int64] = [:]) {
        self.held = held
        self.imagesAwaitRunOf = imagesAwaitRunOf
        (events, sink) = AsyncStream.makeStream()
    }

    /// Everything that happened, in order.
    var history: [Event] { log.withLock { $0 } }
    /// The most requests the server ever had at once.
    var mostRequestsAtOnce: Int { mostOnServer.load(ordering: .relaxed) }

    func releaseRun(_ seed: Int64) { gates.withLock { $0[seed] }?.finish() }

    func run(
        _ request: GenerationRequest, turn: ServerTurn, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        try await turn.wait()
        let seed = request.seed
        let gate = AsyncStream<Void>.makeStream()
        gates.withLock { $0[seed] = gate.continuation }
        let count = onServer.add(1, ordering: .relaxed).newValue
        mostOnServer.raise(to: count)
        record(.runStarted(seed))
        startedRuns.withLock { _ = $0.insert(seed) }
        runStarts.withLock { $0.removeValue(forKey: seed) }?.finish()
        for step in 1...request.steps { await progress(JobProgress(step: step, steps: request.steps)) }
        if held.contains(seed) {
            for await _ in gate.stream {}
        }
        onServer.subtract(1, ordering: .relaxed)
        record(.runEnded(seed))
        return BackendAnswer {
            if let other = self.imagesAwaitRunOf[seed] { await self.waitForRun(of: other) }
            self.record(.imagesDone(seed))
            let png = Data("image \(seed)".utf8)
            return [GeneratedImage(png: png, width: request.width, height: request.height, seed: seed)]
        }
    }

    private func waitForRun(of seed: Int64) async {
        let stream = AsyncStream<Void>.makeStream()
        let started = startedRuns.withLock { started in
            if started.contains(seed) { return true }
            runStarts.withLock { $0[seed] = stream.continuation }
            return false
        }
        if started { return }
        for await _ in stream.stream {}
    }

    private func record(_ event: Event) {
        log.withLock { $0.append(event) }
        sink.yield(event)
    }
}

extension Atomic where Value == Int {
    /// Raises the value to `candidate` if it is larger.
    func raise(to candidate: Int) {
        var current = load(ordering: .relaxed)
        while candidate > current {
            let (exchanged, original) = compareExchange(
                expected: current, desired: candidate, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
