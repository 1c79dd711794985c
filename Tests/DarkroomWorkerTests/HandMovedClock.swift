import Synchronization

/// A clock that stands still until the test moves it: a breaker on it opens, waits and probes exactly when the
/// test says, however slowly the machine runs.
final class HandMovedClock: Sendable {
    private let start = ContinuousClock.now
    private let moved = Mutex<Duration>(.zero)

    /// The instant the clock shows.
    @Sendable func now() -> ContinuousClock.Instant { start + moved.withLock { $0 } }

    func advance(by duration: Duration) { moved.withLock { $0 += duration } }
}
