import DarkroomCore
import DarkroomStore
import Metrics
import Synchronization

/// The gateway's metrics: submissions, cancellations, and the queue gauges refreshed at each scrape.
final class APIMetrics: Sendable {
    private let factory: any MetricsFactory
    private let submitted = Mutex<[Int: Counter]>([:])
    private let canceled: Counter
    private let queueDepth: Gauge
    private let running: Gauge
    private let slots: Gauge
    private let busySlots: Gauge
    private let desiredWorkers: Gauge

    init(factory: any MetricsFactory) {
        self.factory = factory
        canceled = Counter(
            label: MetricNames.jobsFinished,
            dimensions: [(MetricNames.Label.state, "canceled"), (MetricNames.Label.code, "")], factory: factory)
        queueDepth = Gauge(label: MetricNames.queueDepth, factory: factory)
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

    /// A queued job canceled through the API (running ones are counted by the worker that ran them).
    func queuedJobCanceled() { canceled.increment() }

    func refresh(stats: StoreStats, capacity: Capacity, demand: WorkerDemand) {
        queueDepth.record(stats.count(.queued))
        running.record(stats.count(.running))
        slots.record(capacity.slots)
        busySlots.record(capacity.busySlots)
        desiredWorkers.record(demand.desiredWorkers)
    }
}
