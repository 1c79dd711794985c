import DarkroomCore
import DarkroomStore
import Foundation
import Synchronization

/// Store statistics read at most once per cache period, so busy endpoints do not scan the table on every call.
final class QueueFigures: Sendable {
    private let store: any JobStore
    private let recentWindow: Duration
    private let cacheDuration: Duration
    private let cached = Mutex<(stats: StoreStats, readAt: ContinuousClock.Instant)?>(nil)

    init(store: any JobStore, recentWindow: Duration, cacheDuration: Duration) {
        self.store = store
        self.recentWindow = recentWindow
        self.cacheDuration = cacheDuration
    }

    /// Recent statistics, at most `cacheDuration` old.
    func stats() async throws -> StoreStats {
        let now = ContinuousClock.now
        if let cached = cached.withLock({ $0 }), now - cached.readAt < cacheDuration { return cached.stats }
        let stats = try await store.stats(StatsParams(recentSince: Date().addingTimeInterval(-recentWindow.seconds)))
        cached.withLock { $0 = (stats, now) }
        return stats
    }

    /// Finished jobs per second over the recent window.
    func throughput(_ stats: StoreStats) -> Double {
        Double(stats.recentSucceeded + stats.recentFailed) / recentWindow.seconds
    }
}
