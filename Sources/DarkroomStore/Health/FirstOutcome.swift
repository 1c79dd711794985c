import Synchronization

/// The first of several competing outcomes of one operation (its result, a timeout, an outage), handed to the one
/// caller waiting for it; later outcomes are ignored.
///
/// Unlike a task group, whose end waits for every child, the waiter here is resumed by whichever outcome comes
/// first, so it never waits for work that ignores cancellation.
final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, any Error>?
        var waiter: CheckedContinuation<Value, any Error>?
    }

    private let state = Mutex(State())

    init() {}

    /// Settles the outcome unless it already is; resumes the waiter, if one waits.
    func settle(_ result: Result<Value, any Error>) {
        let waiter: CheckedContinuation<Value, any Error>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    /// Waits for the first outcome (at once if it has come).
    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let settled: Result<Value, any Error>? = state.withLock { state in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let settled { continuation.resume(with: settled) }
        }
    }
}
