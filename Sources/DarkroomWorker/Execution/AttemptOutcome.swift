import DarkroomBackends
import DarkroomCore
import Foundation

/// How one attempt at a job ended, before the worker records it in the store.
enum AttemptOutcome: Sendable {
    /// The images, and the job's turn on the server (`nil` for a backend that never waited for one).
    case produced([GeneratedImage], turn: Turn?)
    case failed(BackendError)
    case interrupted(Interruption)
}

extension AttemptOutcome {
    /// A job's time on its server: when it began and how long the server worked on it.
    struct Turn: Sendable {
        var startedAt: Date
        var duration: Duration
    }
}

extension AttemptOutcome {
    /// The `outcome` label of `darkroom_gpu_seconds_total`.
    var gpuOutcome: String {
        switch self {
        case .produced: "succeeded"
        case .failed, .interrupted(.timedOut): "failed"
        case .interrupted(.canceled): "canceled"
        case .interrupted(.expired): "expired"
        case .interrupted(.draining), .interrupted(.leaseLost): "handed_back"
        }
    }

    /// The seconds the server spent: its turn when known (a job claimed ahead also waited for it), else the
    /// whole attempt.
    func gpuSeconds(attempt: Double) -> Double {
        if case .produced(_, let turn?) = self { return turn.duration.seconds }
        return attempt
    }
}
