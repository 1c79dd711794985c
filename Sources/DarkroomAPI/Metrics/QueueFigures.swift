import DarkroomCore
import DarkroomStore
import Foundation
import Synchronization

/// Store statistics read at most once per cache period, so busy endpoints do not scan the table on every call.
/// When they are due, one caller reads them while the others go on with the previous figures (or, before the
/// first read, wait for it): a burst of requests at the end of a period makes one read, not one each.
final class QueueFigures: Sendable {
    private let read: @Sendable (StatsParams) async throws -> StoreStats
    private let recentWindow: Duration
    private let cacheDuration: Duration
    private let cache = Mutex<Cache>(Cache())
    private let wallClock: @Sendable () -> Date
    /// Completions per minute, one sample per minute of the last 15, from these reads.
    let history = CompletionHistory()

    private struct Cache {
        var stats: StoreStats?
        var readAt: ContinuousClock.Instant?
        var reading: Task<(stats: StoreStats, readAt: ContinuousClock.Instant), any Error>?
    }

    convenience init(
        store: any JobQueue, recentWindow: Duration, cacheDuration: Duration,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(recentWindow: recentWindow, cacheDuration: cacheDuration, wallClock: wallClock) {
            try await store.stats($0)
        }
    }

    /// Figures from `read` (the store's `stats`, or a test's stand-in); `wallClock` dates the history's samples.
    init(
        recentWindow: Duration, cacheDuration: Duration, wallClock: @escaping @Sendable () -> Date = { Date() },
        read: @escaping @Sendable (StatsParams) async throws -> StoreStats
    ) {
        self.read = read
        self.recentWindow = recentWindow
        self.cacheDuration = cacheDuration
        self.wallClock = wallClock
    }

    /// Recent statistics, at most `cacheDuration` old, or the previous figures while a new read is under way.
    func stats() async throws -> StoreStats {
        try await statsAndReadTime().stats
    }

    /// ``stats()`` with when their read began: what happened after it may be missing from them.
    func statsAndReadTime() async throws -> (stats: StoreStats, readAt: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        let current = cache.withLock { cache -> (StoreStats, ContinuousClock.Instant)? in
            guard let stats = cache.stats, let readAt = cache.readAt else { return nil }
            return now - readAt < cacheDuration || cache.reading != nil ? (stats, readAt) : nil
        }
        if let current { return current }
        return try await reading().value
    }

    /// The read under way, or a new one.
    private func reading() -> Task<(stats: StoreStats, readAt: ContinuousClock.Instant), any Error> {
        cache.withLock { cache in
            if let reading = cache.reading { return reading }
            let reading = Task {
                [read, recentWindow, wallClock] () -> (stats: StoreStats, readAt: ContinuousClock.Instant) in
                defer { self.cache.withLock { $0.reading = nil } }
                let readAt = ContinuousClock.now
                let date = wallClock()
                let stats = try await read(StatsParams(recentSince: date.addingTimeInterval(-recentWindow.seconds)))
                self.history.record(perMinute: self.throughput(stats) * 60, at: date)
                self.cache.withLock { cache in
                    cache.stats = stats
                    cache.readAt = readAt
                }
                return (stats: stats, readAt: readAt)
            }
            cache.reading = reading
            return reading
        }
    }

    /// Finished jobs per second over the recent window.
    func throughput(_ stats: StoreStats) -> Double {
        Double(stats.recentSucceeded + stats.recentFailed) / recentWindow.seconds
    }
}
