/// Who holds a backend's server turns, and when a slot may claim its next job ahead of time: a pure state
/// machine (``ServerTurns`` adds the lock and the waiting).
///
/// A backend runs at most `turns` requests at once. Each claimed job holds a ticket that goes
///
/// ```
///  reserve ──▶ waiting ──take──▶ running ──end──▶ (gone)
///     │           │                 │
///     │           └──end (cancelled, or nothing claimed)──▶ (gone)
///     └── refused: a slot that may not claim waits for ``ServerTurns/changed``
/// ```
///
/// Claiming ahead: besides the jobs that can start at once, one job per running request that has reached its
/// last step may be claimed and wait for the turn, so the server gets it the moment it answers. A job never
/// waits behind a busy server for longer than that request's last step: one service time at most.
struct TurnBook: Sendable, Equatable {
    enum Phase: Sendable, Equatable {
        /// Claimed (or about to be), waiting for a turn.
        case waiting
        /// Its request is on the server; `isFinishing` once it reached its last step.
        case running(isFinishing: Bool)
    }

    /// Requests the server runs at once.
    let turns: Int
    /// Whether jobs may be claimed for running requests at their last step.
    let claimsAhead: Bool
    private(set) var tickets: [Int: Phase] = [:]
    /// Closed when the worker drains: no more reservations, and no ticket that would have to wait gets a turn.
    private(set) var isClosed = false
    /// Tickets waiting for a turn, first come first served.
    private(set) var queue: [Int] = []

    init(turns: Int, claimsAhead: Bool) {
        self.turns = max(1, turns)
        self.claimsAhead = claimsAhead
    }

    var running: Int { tickets.values.count { $0 != .waiting } }
    var waiting: Int { tickets.values.count { $0 == .waiting } }
    var finishing: Int { tickets.values.count { $0 == .running(isFinishing: true) } }

    /// Whether a slot may claim a job now: it would start at once, or it would wait only for a request at its
    /// last step that nobody waits for yet.
    var mayClaim: Bool {
        !isClosed && (running + waiting < turns || (claimsAhead && waiting < finishing))
    }

    /// Records ticket `id` as waiting when a claim is allowed; returns whether it was.
    mutating func reserve(_ id: Int) -> Bool {
        guard mayClaim, tickets[id] == nil else { return false }
        tickets[id] = .waiting
        return true
    }

    /// What ``take(_:)`` did with a ticket.
    enum Taking: Sendable, Equatable {
        /// It holds a turn: send the request.
        case running
        /// It waits in the queue for a turn.
        case queued
        /// It has ended (or never was), or the book is closed: it must not run.
        case ended
    }

    /// Gives ticket `id` a turn if one is free and nobody queued before it; else queues it.
    mutating func take(_ id: Int) -> Taking {
        switch tickets[id] {
        case nil: return .ended
        case .running: return .running
        case .waiting:
            // A drain refuses only tickets that would have to wait: one that can start at once may already be on
            // its server (ComfyUI queues a prompt before its turn), and refusing it would waste that generation.
            if queue.isEmpty, running < turns {
                tickets[id] = .running(isFinishing: false)
                return .running
            }
            if isClosed { return .ended }
            if !queue.contains(id) { queue.append(id) }
            return .queued
        }
    }

    /// Closes the book for a drain; returns the queued tickets, which must be told they will not run.
    mutating func close() -> [Int] {
        isClosed = true
        defer { queue.removeAll() }
        return queue
    }

    /// Ticket `id`'s request reached its last step.
    mutating func nearingEnd(_ id: Int) {
        if case .running = tickets[id] { tickets[id] = .running(isFinishing: true) }
    }

    /// Ends ticket `id` in whatever phase it is (ending twice is harmless).
    ///
    /// - Returns: the queued tickets that now hold a turn, in order, and whether `id` held one.
    mutating func end(_ id: Int) -> (started: [Int], heldTurn: Bool) {
        guard let phase = tickets.removeValue(forKey: id) else { return ([], false) }
        queue.removeAll { $0 == id }
        var started: [Int] = []
        while !isClosed, running < turns, !queue.isEmpty {
            let next = queue.removeFirst()
            tickets[next] = .running(isFinishing: false)
            started.append(next)
        }
        return (started, phase != .waiting)
    }
}
