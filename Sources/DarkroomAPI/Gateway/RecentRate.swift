import Synchronization

/// Events per second over the last `window`, counted in one-second buckets: constant memory and constant work
/// per event, however many arrive (a gateway shedding load refuses hundreds a second).
final class RecentRate: Sendable {
    private let seconds: Int
    private let start = ContinuousClock.now
    private let buckets: Mutex<(counts: [Int], newest: Int)>

    init(window: Duration) {
        seconds = max(1, Int(window.components.seconds))
        buckets = Mutex((Array(repeating: 0, count: seconds), 0))
    }

    /// Counts one event now.
    func record(at now: ContinuousClock.Instant = .now) {
        let second = index(of: now)
        buckets.withLock { buckets in
            advance(&buckets, to: second)
            buckets.counts[second % seconds] += 1
        }
    }

    /// Events per second over the window ending at `now`.
    func perSecond(at now: ContinuousClock.Instant = .now) -> Double {
        let second = index(of: now)
        return buckets.withLock { buckets in
            advance(&buckets, to: second)
            return Double(buckets.counts.reduce(0, +)) / Double(seconds)
        }
    }

    private func index(of instant: ContinuousClock.Instant) -> Int {
        max(0, Int((instant - start).components.seconds))
    }

    /// Empties the buckets of the seconds that passed since the newest one.
    private func advance(_ buckets: inout (counts: [Int], newest: Int), to second: Int) {
        guard second > buckets.newest else { return }
        for passed in (buckets.newest + 1)...min(second, buckets.newest + seconds) {
            buckets.counts[passed % seconds] = 0
        }
        buckets.newest = second
    }
}
