import DarkroomCore
import Foundation

/// Parameters of ``JobStore/announceWorker(_:)``.
public struct AnnounceWorkerParams: Sendable {
    public var workerID: String
    public var capacity: Capacity
    public var now: Date?

    public init(workerID: String, capacity: Capacity, now: Date? = nil) {
        self.workerID = workerID
        self.capacity = capacity
        self.now = now
    }
}

/// Parameters of ``JobStore/capacity(_:)``.
public struct CapacityParams: Sendable {
    /// Workers not heard from since this instant are presumed gone and not counted.
    public var seenSince: Date

    public init(seenSince: Date) {
        self.seenSince = seenSince
    }
}
