import DarkroomBackends
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
