import Synchronization

/// Runs concurrent calls of one operation together, as a database's group commit does: a call that arrives while
/// a batch runs waits, and the first of the waiting callers then runs every waiting call as the next batch.
///
/// Nothing waits on a timer: an idle combiner runs a call at once, alone; under load each batch takes whatever
/// arrived while the one before it ran. A batch runs in a task of its own, so cancelling the caller that happens
/// to run it does not fail the others' calls.
final class CallCombiner<Input: Sendable, Output: Sendable>: Sendable {
    /// Runs one batch: one result per input, in order.
    typealias Batch = @Sendable ([Input]) async -> [Result<Output, any Error>]

    private enum Turn: Sendable {
        /// Run the waiting calls as a batch.
        case lead
        /// Another caller's batch ran this call.
        case done(Result<Output, any Error>)
    }

    private struct Call {
        var id: Int
        var input: Input
        var continuation: CheckedContinuation<Turn, Never>
    }

    private struct State {
        var waiting: [Call] = []
        var isRunning = false
        var nextID = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Calls waiting for the next batch.
    var waitingCalls: Int { state.withLock { $0.waiting.count } }

    /// Runs `input` in the next batch; `batch` runs it if this caller's turn comes to lead.
    func call(_ input: Input, batch: @escaping Batch) async throws -> Output {
        var id = 0
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let leads = state.withLock { state in
                id = state.nextID
                state.nextID += 1
                state.waiting.append(Call(id: id, input: input, continuation: continuation))
                defer { state.isRunning = true }
                return !state.isRunning
            }
            if leads { continuation.resume(returning: .lead) }
        }
        switch turn {
        case .done(let result): return try result.get()
        case .lead: return try await lead(as: id, batch: batch).get()
        }
    }

    /// Runs every waiting call, hands each its result, passes the lead to the next waiting caller; returns the
    /// leader's own result.
    private func lead(as id: Int, batch: @escaping Batch) async -> Result<Output, any Error> {
        let calls = state.withLock { state in
            defer { state.waiting = [] }
            return state.waiting
        }
        let inputs = calls.map(\.input)
        let results = await Task { await batch(inputs) }.value
        var own: Result<Output, any Error> = .failure(MissingResult())
        for (index, call) in calls.enumerated() {
            let result = index < results.count ? results[index] : .failure(MissingResult())
            if call.id == id {
                own = result
            } else {
                call.continuation.resume(returning: .done(result))
            }
        }
        let next = state.withLock { state in
            if state.waiting.isEmpty { state.isRunning = false }
            return state.waiting.first
        }
        next?.continuation.resume(returning: .lead)
        return own
    }
}

/// A batch returned fewer results than it was given calls.
struct MissingResult: Error {}
