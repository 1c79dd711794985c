import DarkroomCore
import Foundation
import Synchronization

/// The farm's capacity as the workers announce it in the store: what a gateway process reports, since it
/// has no slots of its own. Read at most once per `cacheDuration`.
public final class StoreCapacity: CapacitySource {
    private let store: any WorkerRegistry
    private let workerTimeout: Duration
    private let cacheDuration: Duration
    private let cached = Mutex<(capacity: Capacity, readAt: ContinuousClock.Instant)?>(nil)

    /// - Parameter workerTimeout: a worker not heard from for this long no longer counts.
    public init(
        store: any WorkerRegistry, workerTimeout: Duration = .seconds(15), cacheDuration: Duration = .seconds(1)
    ) {
        self.store = store
        self.workerTimeout = workerTimeout
        self.cacheDuration = cacheDuration
    }

    public func capacity() async -> Capacity {
        let now = ContinuousClock.now
        if let cached = cached.withLock({ $0 }), now - cached.readAt < cacheDuration { return cached.capacity }
        // An unreachable store reports no capacity; /readyz then says not ready, which is true.
        let capacity =
            (try? await store.capacity(CapacityParams(seenSince: Date().addingTimeInterval(-workerTimeout.seconds))))
            ?? Capacity(slots: 0, busySlots: 0)
        cached.withLock { $0 = (capacity, now) }
        return capacity
    }

    /// Every backend of the workers seen recently, as they announced them; none when the store is down.
    public func backends() async -> [BackendStatus] {
        (try? await store.backends(CapacityParams(seenSince: Date().addingTimeInterval(-workerTimeout.seconds))))
            ?? []
    }
}
