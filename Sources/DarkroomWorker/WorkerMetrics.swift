import DarkroomCore
import Metrics
import Synchronization

/// The worker's metrics, created once per label set and cached (label sets are small and bounded).
final class WorkerMetrics: Sendable {
    private let factory: any MetricsFactory
    private let finished = Mutex<[String: Counter]>([:])
    private let gpuSeconds = Mutex<[String: FloatingPointCounter]>([:])
    private let retries: Counter
    private let rescued: Counter
    private let poisoned: Counter
    private let jobDuration: Metrics.Timer
    private let queueWait: Metrics.Timer
    private let claimFound: Metrics.Timer
    private let claimEmpty: Metrics.Timer

    init(factory: any MetricsFactory) {
        self.factory = factory
        retries = Counter(label: MetricNames.jobRetries, factory: factory)
        rescued = Counter(label: MetricNames.leasesRescued, dimensions: [(MetricNames.Label.outcome, "requeued")], factory: factory)
        poisoned = Counter(label: MetricNames.leasesRescued, dimensions: [(MetricNames.Label.outcome, "poisoned")], factory: factory)
        jobDuration = Metrics.Timer(label: MetricNames.jobDuration, factory: factory)
        queueWait = Metrics.Timer(label: MetricNames.queueWait, factory: factory)
        claimFound = Metrics.Timer(
            label: MetricNames.claimDuration, dimensions: [(MetricNames.Label.outcome, "claimed")], factory: factory)
        claimEmpty = Metrics.Timer(
            label: MetricNames.claimDuration, dimensions: [(MetricNames.Label.outcome, "empty")], factory: factory)
    }

    func jobFinished(state: JobState, code: String = "") {
        let key = "\(state.rawValue)|\(code)"
        let counter = finished.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(
                label: MetricNames.jobsFinished,
                dimensions: [(MetricNames.Label.state, state.rawValue), (MetricNames.Label.code, code)],
                factory: factory
            )
            cache[key] = counter
            return counter
        }
        counter.increment()
    }

    func retried() { retries.increment() }

    /// A slot spent `seconds` on an attempt that ended with `outcome`.
    func spentGPU(_ seconds: Double, outcome: String) {
        let counter = gpuSeconds.withLock { cache in
            if let counter = cache[outcome] { return counter }
            let counter = FloatingPointCounter(
                label: MetricNames.gpuSeconds, dimensions: [(MetricNames.Label.outcome, outcome)], factory: factory)
            cache[outcome] = counter
            return counter
        }
        counter.increment(by: max(0, seconds))
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
