/// Counts and timing histograms of a set of finished transactions.
///
/// Successes are counted and timed (latency; for Darkroom also queue wait, service and detection lag);
/// errors are counted by kind and never timed. Memory is constant, however many transactions are added.
public struct TransactionTally: Sendable {
    public private(set) var ok = 0
    /// Errors by ``ErrorKind/code``.
    public private(set) var errorsByKind: [String: Int] = [:]
    public private(set) var latency = LatencyHistogram()
    public private(set) var queueWait = LatencyHistogram()
    public private(set) var service = LatencyHistogram()
    public private(set) var detectionLag = LatencyHistogram()

    public init() {}

    public mutating func add(_ result: TransactionResult) {
        guard result.isSuccess else {
            errorsByKind[result.errorKind?.code ?? "unknown", default: 0] += 1
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
