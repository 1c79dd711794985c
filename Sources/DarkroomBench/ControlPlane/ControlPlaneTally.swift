/// What one control-plane run counted. Jobs are numbered (tickets) in the order they were started; the first
/// ``warmupJobs`` warm the servers up and are not counted.
///
/// The measured span runs from the start of the first measured job to the end of the last one, so the
/// throughput is measured jobs ÷ that span. Latency percentiles are over successes, as in every bench report.
public struct ControlPlaneTally: Sendable {
    public let warmupJobs: Int
    public private(set) var succeeded = 0
    public private(set) var errorsByKind: [ErrorKind: Int] = [:]
    /// The measured span's ends, as offsets from the run's start; `nil` until a measured job is recorded.
    public private(set) var firstStart: Duration?
    public private(set) var lastEnd: Duration?
    private var latencyHistogram = LatencyHistogram()
    private var detectionLagHistogram = LatencyHistogram()

    public init(warmupJobs: Int) {
        self.warmupJobs = warmupJobs
    }

    /// Adds job number `ticket` (0-based), which ran from `result.started` to `result.ended`.
    public mutating func record(ticket: Int, _ result: TransactionResult) {
        guard ticket >= warmupJobs else { return }
        firstStart = min(firstStart ?? result.started, result.started)
        lastEnd = max(lastEnd ?? result.ended, result.ended)
        switch result.outcome {
        case .succeeded:
            succeeded += 1
            latencyHistogram.record(result.latency)
            if let timing = result.job { detectionLagHistogram.record(timing.detectionLag) }
        case .failed(let kind):
            errorsByKind[kind, default: 0] += 1
        }
    }

    public var errors: Int { errorsByKind.values.reduce(0, +) }

    /// Measured jobs recorded, successes and errors.
    public var measured: Int { succeeded + errors }

    /// The measured span; `nil` before any measured job.
    public var span: Duration? {
        guard let firstStart, let lastEnd else { return nil }
        return lastEnd - firstStart
    }

    /// Successes per second over the measured span; `nil` when it is empty.
    public var jobsPerSecond: Double? {
        guard let span, span > .zero else { return nil }
        return Double(succeeded) / span.inSeconds
    }

    public var latency: LatencySummary? { latencyHistogram.summary }

    /// Job finished in the store → the client knew it (see ``JobTiming``).
    public var detectionLag: LatencySummary? { detectionLagHistogram.summary }
}
