/// How many GPU slots exist and how many are busy right now.
public struct Capacity: Sendable, Equatable {
    public var slots: Int
    public var busySlots: Int

    public init(slots: Int, busySlots: Int) {
        self.slots = slots
        self.busySlots = busySlots
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
