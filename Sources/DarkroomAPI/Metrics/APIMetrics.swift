import DarkroomCore
import DarkroomStore
import Metrics
import Synchronization

/// The gateway's metrics: submissions, cancellations, and the queue gauges refreshed at each scrape.
final class APIMetrics: Sendable {
    private let factory: any MetricsFactory
    private let submitted = Mutex<[Int: Counter]>([:])
    private let canceled: Counter
    /// `darkroom_queue_depth` per priority; a priority seen once keeps its gauge, at 0 when nothing waits.
    private let queueDepth = Mutex<[Int: Gauge]>([:])
    private let running: Gauge
    private let slots: Gauge
    private let busySlots: Gauge
    private let desiredWorkers: Gauge
    private let rejected = Mutex<[String: Counter]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
        canceled = Counter(
            label: MetricNames.jobsFinished,
            dimensions: [(MetricNames.Label.state, "canceled"), (MetricNames.Label.code, "")], factory: factory)
        running = Gauge(label: MetricNames.runningJobs, factory: factory)
        slots = Gauge(label: MetricNames.slots, factory: factory)
        busySlots = Gauge(label: MetricNames.busySlots, factory: factory)
        desiredWorkers = Gauge(label: MetricNames.desiredWorkers, factory: factory)
    }

    func jobSubmitted(priority: Int) {
        let counter = submitted.withLock { cache in
            if let counter = cache[priority] { return counter }
            let counter = Counter(
                label: MetricNames.jobsSubmitted, dimensions: [(MetricNames.Label.priority, "\(priority)")],
                factory: factory)
            cache[priority] = counter
            return counter
        }
        counter.increment()
    }

    /// A submit refused at admission, for `reason` (the problem's code).
    func jobRejected(reason: String) {
        let counter = rejected.withLock { cache in
            if let counter = cache[reason] { return counter }
            let counter = Counter(
                label: MetricNames.jobsRejected, dimensions: [(MetricNames.Label.reason, reason)], factory: factory)
            cache[reason] = counter
            return counter
        }
        counter.increment()
    }

    /// A queued job canceled through the API (running ones are counted by the worker that ran them).
    func queuedJobCanceled() { canceled.increment() }

    func refresh(stats: StoreStats, capacity: Capacity, demand: WorkerDemand) {
        recordQueueDepth(stats.queuedByPriority)
        running.record(stats.count(.running))
        slots.record(capacity.slots)
        busySlots.record(capacity.busySlots)
        desiredWorkers.record(demand.desiredWorkers)
    }

    private func recordQueueDepth(_ queuedByPriority: [Int: Int]) {
        // Priority 5 (the default) always reports, so an empty queue shows 0 rather than no series.
        let depths = queuedByPriority.merging([Priority.default: 0]) { queued, _ in queued }
        queueDepth.withLock { gauges in
            for priority in Set(gauges.keys).union(depths.keys) {
                let gauge =
                    gauges[priority]
                    ?? Gauge(
                        label: MetricNames.queueDepth, dimensions: [(MetricNames.Label.priority, "\(priority)")],
                        factory: factory)
                gauges[priority] = gauge
                gauge.record(depths[priority] ?? 0)
            }
        }
    }
}
