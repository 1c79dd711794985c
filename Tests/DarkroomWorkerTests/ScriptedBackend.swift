import DarkroomBackends
import DarkroomCore
import Foundation
import Synchronization

/// A test double for a GPU server: each call to `run` follows the next step of a script.
///
/// Only the GPU is faked; the store, the worker and the images are real.
final class ScriptedBackend: Backend {
    enum Step: Sendable {
        /// Report every step, then return one small PNG-like payload per batch item.
        case succeed
        /// Throw this error after the first progress step.
        case fail(BackendError)
        /// Report the first step, then wait until cancelled.
        case hang
    }

    let id: String
    let slots: Int
    /// What this fake server claims to have loaded.
    let loadedAffinity: ModelAffinity?
    private let script: Mutex<[Step]>
    private let calls = Atomic<Int>(0)
    private let healthy = Atomic<Bool>(true)
    private let healthChecks = Atomic<Int>(0)
    /// Yields the answer of every health check, as it is given.
    let healthAnswers: AsyncStream<Bool>
    private let healthAnswered: AsyncStream<Bool>.Continuation

    init(id: String = "scripted", slots: Int = 1, loaded: ModelAffinity? = nil, script: [Step]) {
        self.id = id
        self.slots = slots
        self.loadedAffinity = loaded
        self.script = Mutex(script)
        (healthAnswers, healthAnswered) = AsyncStream<Bool>.makeStream()
    }

    var callCount: Int { calls.load(ordering: .relaxed) }
    var healthCheckCount: Int { healthChecks.load(ordering: .relaxed) }

    /// Makes the health endpoint answer (or not) from now on.
    func setHealthy(_ value: Bool) { healthy.store(value, ordering: .relaxed) }

    func health() async -> BackendHealth {
        healthChecks.add(1, ordering: .relaxed)
        let answer = healthy.load(ordering: .relaxed)
        healthAnswered.yield(answer)
        return answer ? .reachable : BackendHealth(isReachable: false, problem: "down")
    }

    func run(
        _ request: GenerationRequest, turn: ServerTurn, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        try await turn.wait()
        calls.add(1, ordering: .relaxed)
        let step = script.withLock { $0.isEmpty ? Step.succeed : $0.removeFirst() }
        await progress(JobProgress(step: 1, steps: request.steps))
        switch step {
        case .succeed:
            for index in 2...max(2, request.steps) { await progress(JobProgress(step: index, steps: request.steps)) }
            let images = (0..<request.batchSize).map { index in
                GeneratedImage(
                    png: Data("image \(request.seed + Int64(index))".utf8), width: request.width, height: request.height,
                    seed: request.seed + Int64(index))
            }
            return BackendAnswer(images: images)
        case .fail(let error):
            throw error
        case .hang:
            // Iterating a stream nobody feeds ends only when the task is cancelled, like a stuck GPU call.
            let (never, continuation) = AsyncStream<Void>.makeStream()
            for await _ in never {}
            withExtendedLifetime(continuation) {}
            throw CancellationError()
        }
    }
}
