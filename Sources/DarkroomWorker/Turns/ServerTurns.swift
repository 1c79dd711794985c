import Synchronization

/// The turns of one backend's server, shared by its slots: a ``TurnBook`` behind a lock, with waiting.
///
/// A slot reserves a ticket before it claims, takes a turn before it sends the request, and ends the ticket as
/// soon as the server has answered, so the next claimed job goes to the server while this one's images are
/// still being decoded and stored. ``changed`` rings whenever a refused slot might now be allowed to claim.
final class ServerTurns: Sendable {
    /// A claimed job's place: reserve, take, end.
    struct Ticket: Sendable, Hashable {
        fileprivate let id: Int
    }

    /// Thrown by ``take(_:)`` once the turns are closed for a drain: the job must go back to the queue unrun.
    struct Closed: Error {}

    private struct State {
        var book: TurnBook
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    }

    private let state: Mutex<State>
    /// Rings when a slot that was refused a ticket may now get one (a ticket ended, or a request reached its
    /// last step). Only refused slots listen: a slot that found no job waits for new work instead.
    let changed = Doorbell()

    init(turns: Int, claimsAhead: Bool) {
        state = Mutex(State(book: TurnBook(turns: turns, claimsAhead: claimsAhead)))
    }

    /// Requests on the server now.
    var running: Int { state.withLock { $0.book.running } }

    /// Whether ``reserve()`` would give a ticket now.
    var mayClaim: Bool { state.withLock { $0.book.mayClaim } }

    /// A ticket for a claim, or `nil` when this backend should not claim now.
    func reserve() -> Ticket? {
        state.withLock { state in
            let id = state.nextID
            guard state.book.reserve(id) else { return nil }
            state.nextID += 1
            return Ticket(id: id)
        }
    }

    /// Waits for a turn, first come first served.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first, ``Closed`` when the worker drains first;
    ///   the ticket has then ended.
    func take(_ ticket: Ticket) async throws {
        do {
            try await waitForTurn(ticket)
            try Task.checkCancellation()
        } catch {
            end(ticket)
            throw error
        }
    }

    private func waitForTurn(_ ticket: Ticket) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // A waiting ticket now running may leave room to claim ahead (with several turns).
                let outcome: Result<Void, any Error>? = change { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    switch state.book.take(ticket.id) {
                    case .running: return .success(())
                    case .ended: return .failure(state.book.isClosed ? Closed() : CancellationError())
                    case .queued:
                        state.waiters[ticket.id] = continuation
                        return nil
                    }
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: ticket.id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Closes the turns for a drain: no more claims, and jobs waiting for a turn are refused (``Closed``), so they
    /// go back to the queue instead of starting. Requests already on their servers run on.
    func close() {
        let refused = state.withLock { state in
            state.book.close().compactMap { state.waiters.removeValue(forKey: $0) }
        }
        for waiter in refused { waiter.resume(throwing: Closed()) }
        // Slots held back notice the drain now rather than at their next poll.
        changed.ring()
    }

    /// The ticket's request reached its last step: one more job may be claimed to follow it.
    func nearingEnd(_ ticket: Ticket) {
        change { $0.book.nearingEnd(ticket.id) }
    }

    /// Ends the ticket, freeing its turn for the next waiter; harmless when already ended.
    ///
    /// - Returns: whether it held a turn.
    @discardableResult
    func end(_ ticket: Ticket) -> Bool {
        let (started, heldTurn) = change { state in
            let (started, heldTurn) = state.book.end(ticket.id)
            return (started.compactMap { state.waiters.removeValue(forKey: $0) }, heldTurn)
        }
        for waiter in started { waiter.resume() }
        return heldTurn
    }

    /// Changes the state under the lock, then rings ``changed`` if the change lets a refused slot claim.
    private func change<T: Sendable>(_ body: (inout State) -> T) -> T {
        let (result, allowed) = state.withLock { state in
            let before = state.book.mayClaim
            let result = body(&state)
            return (result, !before && state.book.mayClaim)
        }
        if allowed { changed.ring() }
        return result
    }
}
