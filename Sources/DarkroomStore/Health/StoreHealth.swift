import Synchronization

/// What a process knows of its database: reachable, or down since a connection failure until a probe answers.
///
/// While the store is down, operations fail at once as ``JobStoreError/unavailable(detail:)`` instead of each
/// waiting out the operation timeout, and the operations in flight when it went down are abandoned (their callers
/// are answered; the queries end on their own). A prober (``probes``) tries the database with backoff and
/// marks it up again, after which everything resumes unaided.
public final class StoreHealth: Sendable {
    private struct State {
        var downDetail: String?
        var inFlight: [Int: @Sendable (String) -> Void] = [:]
        var nextID = 0
        var isChecking = false
        var lastCheck: ContinuousClock.Instant?
        var upWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let downSignals: AsyncStream<Void>.Continuation
    /// One element each time the store goes down: the prober's cue. For one consumer.
    let probes: AsyncStream<Void>

    public init() {
        (probes, downSignals) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Why operations fail now; `nil` while the store is believed reachable.
    public var downDetail: String? { state.withLock { $0.downDetail } }

    /// Marks the store down (if it was up): every operation in flight is told `detail` and the prober is cued.
    func markDown(_ detail: String) {
        let abandoned: [@Sendable (String) -> Void]? = state.withLock { state in
            guard state.downDetail == nil else { return nil }
            state.downDetail = detail
            defer { state.inFlight = [:] }
            return Array(state.inFlight.values)
        }
        guard let abandoned else { return }
        abandoned.forEach { $0(detail) }
        downSignals.yield()
    }

    /// Marks the store reachable again.
    func markUp() {
        let waiters = state.withLock { state in
            state.downDetail = nil
            defer { state.upWaiters = [] }
            return state.upWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once the store is believed reachable (at once if it is).
    public func waitUntilUp() async {
        await withCheckedContinuation { continuation in
            let isUp = state.withLock { state in
                if state.downDetail != nil { state.upWaiters.append(continuation) }
                return state.downDetail == nil
            }
            if isUp { continuation.resume() }
        }
    }

    /// Registers an operation in flight, which `abandon` ends if the store goes down before ``finished(_:)``;
    /// `nil` (and nothing registered) when the store is down already.
    func started(abandon: @escaping @Sendable (String) -> Void) -> Int? {
        state.withLock { state in
            guard state.downDetail == nil else { return nil }
            defer { state.nextID += 1 }
            state.inFlight[state.nextID] = abandon
            return state.nextID
        }
    }

    /// Whether a reachability check may start now: none is running and none started within the last second.
    /// A `true` answer starts one; call ``endCheck()`` when it is over.
    func beginCheck(now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            guard !state.isChecking, state.downDetail == nil,
                state.lastCheck.map({ now - $0 >= .seconds(1) }) ?? true
            else { return false }
            state.isChecking = true
            state.lastCheck = now
            return true
        }
    }

    func endCheck() {
        state.withLock { $0.isChecking = false }
    }

    /// Operations registered and not yet ended.
    var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    /// The operation registered as `id` has ended.
    func finished(_ id: Int) {
        _ = state.withLock { $0.inFlight.removeValue(forKey: id) }
    }
}
