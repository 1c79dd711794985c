/// Building a report from the log of a run.
extension BenchReport {
    /// The report of a run that stopped at `log.stoppedAt` (or at `elapsed` when the log was never closed),
    /// counting by the rules on ``BenchReport``.
    public init(setup: Setup, log: TransactionLog, elapsed: Duration, limit: ThroughputLimit?) {
        let stop = log.stoppedAt ?? elapsed
        let (window, tally) = log.measured(stoppedAt: stop)
        self.init(
            setup: setup, elapsed: stop, window: window, ok: tally.ok, errors: tally.errors, inFlight: log.inFlight,
            runOK: log.wholeRun.ok, runErrors: log.wholeRun.errors, errorsByKind: tally.errorsByKind, limit: limit,
            latency: tally.latency.summary, queueWait: tally.queueWait.summary, service: tally.service.summary,
            detectionLag: tally.detectionLag.summary, rejectionLatency: tally.rejectionLatency.summary,
            retries: tally.retries, retriesAdmitted: tally.retriesAdmitted, timeline: log.timeline.padded(through: stop),
            startTimeline: log.startTimeline)
    }
}
