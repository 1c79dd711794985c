/// How many GPU slots exist, how many are busy right now, and how many worker processes serve them.
public struct Capacity: Sendable, Equatable {
    public var slots: Int
    public var busySlots: Int
    /// Worker processes with at least one slot (one in embedded mode).
    public var workers: Int

    /// `workers` defaults to one process holding every slot, or none when there are no slots.
    public init(slots: Int, busySlots: Int, workers: Int? = nil) {
        self.slots = slots
        self.busySlots = busySlots
        self.workers = workers ?? (slots > 0 ? 1 : 0)
    }

    public var freeSlots: Int { max(0, slots - busySlots) }
}

/// Anything that knows the current ``Capacity`` (in embedded mode, the worker pool).
public protocol CapacitySource: Sendable {
    /// The slots this source serves and how many of them hold a job.
    func capacity() async -> Capacity
    /// The backends behind those slots, with their breaker and health.
    func backends() async -> [BackendStatus]
}

/// A capacity that never changes; for gateways that know their farm's size from configuration, and for tests.
public struct FixedCapacity: CapacitySource {
    public let value: Capacity

    public init(_ value: Capacity) {
        self.value = value
    }

    public func capacity() async -> Capacity { value }

    /// A fixed capacity knows no backends.
    public func backends() async -> [BackendStatus] { [] }
}
