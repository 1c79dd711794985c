/// Counts and timing histograms of a set of finished transactions.
///
/// Successes are counted and timed (latency; for Darkroom also queue wait, service and detection lag);
/// errors are counted by kind, and only refusals (429) are timed: how fast a refused client hears. Retries after a
/// `Retry-After` are counted with how many were admitted (not refused again). Memory is constant, however many
/// transactions are added.
public struct TransactionTally: Sendable {
    public private(set) var ok = 0
    /// Errors by ``ErrorKind/code``.
    public private(set) var errorsByKind: [String: Int] = [:]
    public private(set) var latency = LatencyHistogram()
    public private(set) var queueWait = LatencyHistogram()
    public private(set) var service = LatencyHistogram()
    public private(set) var detectionLag = LatencyHistogram()
    /// How long a 429 took to arrive.
    public private(set) var rejectionLatency = LatencyHistogram()
    /// Transactions that repeated a refused submit after its `Retry-After`.
    public private(set) var retries = 0
    /// Those of ``retries`` the target admitted (anything but another 429).
    public private(set) var retriesAdmitted = 0

    public init() {}

    public mutating func add(_ result: TransactionResult) {
        if result.isRetry {
            retries += 1
            if result.errorKind != .rejected { retriesAdmitted += 1 }
        }
        guard result.isSuccess else {
            errorsByKind[result.errorKind?.code ?? "unknown", default: 0] += 1
            if result.errorKind == .rejected { rejectionLatency.record(result.latency) }
            return
        }
        ok += 1
        latency.record(result.latency)
        if let job = result.job {
            queueWait.record(job.queueWait)
            service.record(job.service)
            detectionLag.record(job.detectionLag)
        }
    }

    public var errors: Int { errorsByKind.values.reduce(0, +) }

    /// Successes and errors.
    public var count: Int { ok + errors }
}
