/// How many workers an autoscaler should run, from what the queue shows: enough slots to keep up with the
/// work finishing now, and to clear everything queued or running within the latency target.
///
/// ```
/// slots needed = max((completed + refused per second) × S, (queued + running) × S ÷ latency target)
/// workers      = ⌈slots needed ÷ slots per worker⌉, at least 1 while any job is queued or running
/// ```
///
/// `S` is the recent mean service time. With no recent completion `S` is unknown, and the answer is the
/// workers running now (at least 1 while there is work): no scaling on no evidence. An idle queue asks for 0;
/// the autoscaler's floor (`minReplicaCount`) decides whether one stays warm. Submits refused at admission
/// count as demand too: shedding keeps the queue short, and without them the autoscaler would see only what the
/// current farm already serves.
public struct WorkerDemand: Sendable, Equatable {
    public var queued: Int
    public var running: Int
    /// Jobs finished per second recently (the work the current farm keeps up with).
    public var completedPerSecond: Double
    /// Submits refused at admission per second recently: demand the farm did not take.
    public var refusedPerSecond: Double
    /// Mean service time of recent jobs; 0 when none finished recently.
    public var meanServiceSeconds: Double
    /// How long a job may wait and run, submit to finish, before the farm should grow.
    public var latencyTargetSeconds: Double
    /// The farm now: its slots and the worker processes that hold them.
    public var capacity: Capacity

    public init(
        queued: Int, running: Int, completedPerSecond: Double, meanServiceSeconds: Double,
        latencyTargetSeconds: Double, capacity: Capacity, refusedPerSecond: Double = 0
    ) {
        self.queued = queued
        self.running = running
        self.completedPerSecond = completedPerSecond
        self.refusedPerSecond = refusedPerSecond
        self.meanServiceSeconds = meanServiceSeconds
        self.latencyTargetSeconds = latencyTargetSeconds
        self.capacity = capacity
    }

    /// Slots per worker as the farm runs now; 1 when there is no worker to learn it from.
    public var slotsPerWorker: Double {
        capacity.workers > 0 && capacity.slots > 0 ? Double(capacity.slots) / Double(capacity.workers) : 1
    }

    /// Slots the work needs (see the type's formula); `nil` while the service time is unknown.
    public var slotsNeeded: Double? {
        guard meanServiceSeconds > 0, latencyTargetSeconds > 0 else { return nil }
        let keepingUp = (completedPerSecond + refusedPerSecond) * meanServiceSeconds
        let clearing = Double(queued + running) * meanServiceSeconds / latencyTargetSeconds
        return max(keepingUp, clearing)
    }

    public var desiredWorkers: Int {
        let hasWork = queued + running > 0 || refusedPerSecond > 0
        guard let slotsNeeded else { return hasWork ? max(1, capacity.workers) : 0 }
        let workers = Int((slotsNeeded / slotsPerWorker).rounded(.up))
        return hasWork ? max(1, workers) : workers
    }
}
