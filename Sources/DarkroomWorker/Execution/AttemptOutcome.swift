import DarkroomBackends

/// How one attempt at a job ended, before the worker records it in the store.
enum AttemptOutcome: Sendable {
    case produced([GeneratedImage])
    case failed(BackendError)
    case interrupted(Interruption)
}
