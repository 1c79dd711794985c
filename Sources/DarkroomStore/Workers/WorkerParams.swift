import DarkroomCore
import Foundation

/// Parameters of ``WorkerRegistry/announceWorker(_:)``.
public struct AnnounceWorkerParams: Sendable {
    public var workerID: String
    public var capacity: Capacity
    /// The worker's backends, shown by `/v1/queue`.
    public var backends: [BackendStatus]
    public var now: Date?

    public init(workerID: String, capacity: Capacity, backends: [BackendStatus] = [], now: Date? = nil) {
        self.workerID = workerID
        self.capacity = capacity
        self.backends = backends
        self.now = now
    }
}

/// Parameters of ``WorkerRegistry/capacity(_:)``.
public struct CapacityParams: Sendable {
    /// Workers not heard from since this instant are presumed gone and not counted.
    public var seenSince: Date

    public init(seenSince: Date) {
        self.seenSince = seenSince
    }
}
