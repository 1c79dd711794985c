import DarkroomBackends
import DarkroomCore
import Foundation
import Synchronization

/// A backend whose first generation waits until the test calls ``release()``, then succeeds.
final class SlowSucceedBackend: Backend {
    let id = "slow"
    let slots = 1
    private let gate = AsyncStream<Void>.makeStream()

    func release() { gate.continuation.finish() }

    func run(
        _ request: GenerationRequest, turn: ServerTurn, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        try await turn.wait()
        await progress(JobProgress(step: 1, steps: request.steps))
        for await _ in gate.stream {}
        await progress(JobProgress(step: request.steps, steps: request.steps))
        return BackendAnswer(images: [
            GeneratedImage(png: Data("slow".utf8), width: request.width, height: request.height, seed: request.seed)
        ])
    }
}
