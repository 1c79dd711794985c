import DarkroomCore
import Metrics
import Synchronization

/// The worker's metrics, created once per label set and cached (label sets are small and bounded).
final class WorkerMetrics: Sendable {
    private let factory: any MetricsFactory
    private let finished = MetricCache<Counter>()
    private let gpuSeconds = MetricCache<FloatingPointCounter>()
    private let retries: Counter
    private let rescued: Counter
    private let poisoned: Counter
    private let jobDuration: Metrics.Timer
    private let queueWait: Metrics.Timer
    private let claimFound: Metrics.Timer
    private let claimEmpty: Metrics.Timer
    private let tenants: TenantMetrics

    init(factory: any MetricsFactory) {
        self.factory = factory
        tenants = TenantMetrics(factory: factory)
        retries = Counter(label: MetricNames.jobRetries, factory: factory)
        rescued = Counter(
            label: MetricNames.leasesRescued, dimensions: [(MetricNames.Label.outcome, "requeued")], factory: factory)
        poisoned = Counter(
            label: MetricNames.leasesRescued, dimensions: [(MetricNames.Label.outcome, "poisoned")], factory: factory)
        jobDuration = Metrics.Timer(label: MetricNames.jobDuration, factory: factory)
        queueWait = Metrics.Timer(label: MetricNames.queueWait, factory: factory)
        claimFound = Metrics.Timer(
            label: MetricNames.claimDuration, dimensions: [(MetricNames.Label.outcome, "claimed")], factory: factory)
        claimEmpty = Metrics.Timer(
            label: MetricNames.claimDuration, dimensions: [(MetricNames.Label.outcome, "empty")], factory: factory)
    }

    /// One of `tenant`'s jobs ended `state` (with `code`, for a failure) on this worker.
    func jobFinished(state: JobState, code: String = "", tenant: String) {
        tenants.jobFinished(state: state, tenant: tenant)
        finished.metric("\(state.rawValue)|\(code)") {
            Counter(
                label: MetricNames.jobsFinished,
                dimensions: [(MetricNames.Label.state, state.rawValue), (MetricNames.Label.code, code)],
                factory: factory)
        }
        .increment()
    }

    func retried() { retries.increment() }

    /// A slot spent `seconds` on an attempt of `tenant`'s that ended with `outcome`.
    func spentGPU(_ seconds: Double, outcome: String, tenant: String) {
        tenants.spentGPU(seconds, tenant: tenant)
        gpuSeconds.metric(outcome) {
            FloatingPointCounter(
                label: MetricNames.gpuSeconds, dimensions: [(MetricNames.Label.outcome, outcome)], factory: factory)
        }
        .increment(by: max(0, seconds))
    }

    func rescuedLeases(requeued: Int, poisoned poisonedCount: Int) {
        rescued.increment(by: requeued)
        poisoned.increment(by: poisonedCount)
    }

    func attemptTook(_ seconds: Double) { jobDuration.recordSeconds(seconds) }

    /// A claim query took `duration`; `found` whether it handed out a job.
    func claimTook(_ duration: Duration, found: Bool) {
        (found ? claimFound : claimEmpty).recordSeconds(duration.seconds)
    }

    func waitedInQueue(_ seconds: Double) { queueWait.recordSeconds(max(0, seconds)) }
}
