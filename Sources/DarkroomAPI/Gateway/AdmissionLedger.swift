import Algorithms
import DarkroomCore
import DequeModule
import Synchronization

/// What admission remembers between submits: the jobs this gateway admitted lately, the places it holds for
/// refused clients, and whether a queue stands (``ControlledDelay``), all behind one lock.
///
/// - Admissions: the cached queue figures do not show a job admitted since they were read (up to a second), so
///   each admission counts as one more job ahead until it is older than ``memory``.
/// - Held places: a refused submit that carries an `Idempotency-Key` keeps its place. Its `Retry-After` is the
///   time at which it fits behind everything ahead *and every place held before it*; until then (and ``grace``
///   after) its place counts as a job ahead of every new submit, and when it comes back with the same key it is
///   judged without the places held after it, and by its deadline alone (the controlled delay's target holds new
///   arrivals back, not a place already promised). So a client that honours `Retry-After` is admitted when it
///   returns, instead of racing new arrivals for the same opening. At most ``maximumHeld`` are held.
///
/// Each gateway knows only its own admissions and holds; with several gateways, each may still admit a little
/// too much within a period (the deadline then keeps any late job off the GPUs), and a retry keeps its place only
/// on the gateway that refused it (docs/overload.md).
final class AdmissionLedger: Sendable {
    /// How long an admission is remembered: longer than any cache period of the figures.
    static let memory: Duration = .seconds(60)
    /// How long after its `Retry-After` a held place waits for its client.
    let grace: Duration
    /// The most places held at once; a refusal past it holds none.
    static let maximumHeld = 100_000

    /// A place held for a refused client, due when its `Retry-After` ends.
    private struct Hold {
        var due: ContinuousClock.Instant
        var priority: Int
    }

    private struct State {
        /// Oldest first, so forgetting and counting since an instant need not look at every admission.
        var admitted: Deque<(at: ContinuousClock.Instant, priority: Int)> = []
        var held: [String: Hold] = [:]
        /// The earliest due of the places held: before it passes the grace, no place can have lapsed.
        var earliestDue: ContinuousClock.Instant?
        var delay: ControlledDelay?

        /// Forgets the places whose clients did not come back within `grace`; costs nothing until one may have.
        mutating func dropLapsedHolds(now: ContinuousClock.Instant, grace: Duration) {
            guard let earliestDue, now > earliestDue + grace else { return }
            held = held.filter { now <= $0.value.due + grace }
            self.earliestDue = held.values.lazy.map(\.due).min()
        }

        mutating func hold(_ key: String, _ hold: Hold) {
            held[key] = hold
            earliestDue = min(earliestDue ?? hold.due, hold.due)
        }

        mutating func recordAdmission(priority: Int, now: ContinuousClock.Instant) {
            while let oldest = admitted.first, now - oldest.at > AdmissionLedger.memory {
                admitted.removeFirst()
            }
            admitted.append((now, priority))
        }

        /// Admissions after `instant` at `priority` or higher.
        func admissions(after instant: ContinuousClock.Instant, atLeast priority: Int) -> Int {
            let since = admitted.partitioningIndex { $0.at > instant }
            return admitted[since...].count { $0.priority >= priority }
        }
    }

    /// How the judge decided.
    enum Decision {
        case admit
        /// Refused; a client with a key keeps its place for `holdSeconds` from now (`nil`: no place held).
        /// `overflow`: refused for a deadline the queue made unmeetable, which makes the queue a standing one.
        case refuse(holdSeconds: Double?, overflow: Bool)
    }

    private let state: Mutex<State>

    /// - Parameters:
    ///   - delay: the controlled delay of a standing queue; `nil`: none.
    ///   - grace: how long after its `Retry-After` a held place waits for its client.
    init(delay: ControlledDelay?, grace: Duration = .seconds(10)) {
        state = Mutex(State(delay: delay))
        self.grace = grace
    }

    /// Notes what the queue figures read at `instant` showed, for the controlled delay.
    func observe(queued: Int, at instant: ContinuousClock.Instant) {
        state.withLock { $0.delay?.observe(queued: queued, at: instant) }
    }

    /// Counts what is ahead of a job at `priority` that the figures read at `instant` do not show (admissions
    /// since then, held places), lets `judge` decide with that count and the controlled delay's limit, and
    /// records the decision, all under one lock: concurrent submits cannot all pass on the same count.
    ///
    /// - Parameter key: the client's idempotency key (with its tenant), which holds a place when refused and
    ///   redeems it when admitted.
    func admit<Verdict>(
        priority: Int, key: String?, after instant: ContinuousClock.Instant, now: ContinuousClock.Instant = .now,
        _ judge: (_ alsoAhead: Int, _ standingQueueSeconds: Double?) -> (verdict: Verdict, decision: Decision)
    ) -> Verdict {
        state.withLock { state in
            state.dropLapsedHolds(now: now, grace: grace)
            let own = key.flatMap { state.held[$0] }
            // A returning client's place was promised: only its deadline judges it, not the standing-queue target.
            let standing = own == nil ? state.delay?.waitLimit : nil
            let ahead = Self.ahead(of: priority, key: key, own: own, after: instant, in: state)
            let (verdict, decision) = judge(ahead, standing)
            switch decision {
            case .admit:
                if let key { state.held[key] = nil }
                state.recordAdmission(priority: priority, now: now)
            case .refuse(let holdSeconds, let overflow):
                if overflow { state.delay?.noteOverflow(at: now) }
                guard let key, let holdSeconds, own != nil || state.held.count < Self.maximumHeld else { break }
                state.hold(key, Hold(due: now + .seconds(holdSeconds), priority: priority))
            }
            return verdict
        }
    }

    /// What ``admit(priority:key:after:now:_:)`` would count ahead of a new job at `priority` without a key,
    /// deciding nothing: for the predictions of `GET /v1/queue`.
    func ahead(of priority: Int, after instant: ContinuousClock.Instant, now: ContinuousClock.Instant = .now) -> Int {
        state.withLock { state in
            state.dropLapsedHolds(now: now, grace: grace)
            return Self.ahead(of: priority, key: nil, own: nil, after: instant, in: state)
        }
    }

    /// Admissions since `instant` and places held, at `priority` or higher; a returning client (`own`) is not
    /// behind its own place or the places held after it.
    private static func ahead(
        of priority: Int, key: String?, own: Hold?, after instant: ContinuousClock.Instant, in state: State
    ) -> Int {
        let heldAhead = state.held.count { entry in
            entry.key != key && entry.value.priority >= priority && own.map { entry.value.due < $0.due } ?? true
        }
        return state.admissions(after: instant, atLeast: priority) + heldAhead
    }
}
