/// The result of one `darkroom bench` run: counts, throughput, errors and timings over the measurement window.
///
/// Counting rules (docs/benchmarks.md repeats them):
/// - A transaction counts in the window in which it *ended* (``MeasurementWindow``); transactions that end
///   during the warm-up count only in ``runOK``/``runErrors``.
/// - Throughput is the successes that ended in the window ÷ the window's length.
/// - Error rate is the errors that ended in the window ÷ all transactions that ended in it; each error has one
///   kind (``ErrorKind``): `timeout`, `rejected` (429), `expired`, `http_<status>`, `failed`, `connection`.
/// - Latency, queue wait, service and detection lag are over the window's successes only (HDR histogram,
///   microsecond resolution); of the errors only refusals (429) are timed, as ``rejectionLatency``.
/// - Retries (`--honour-retry-after`) are transactions of their own; ``retries`` counts them and
///   ``retriesAdmitted`` those not refused again.
/// - Transactions still in flight at the stop are cancelled and reported in ``inFlight``: neither successes
///   nor errors.
/// - Efficiency is throughput ÷ ``limit`` when a limit is known, else `nil` ("unknown").
public struct BenchReport: Sendable, Equatable {
    /// What was run, for the report's heading.
    public struct Setup: Sendable, Equatable {
        public var scenario: String
        public var `protocol`: BenchProtocol
        public var target: String
        /// ``LoadModel/summary``.
        public var load: String
        /// ``RequestShape/summary``.
        public var request: String
        /// How Darkroom transactions waited; `nil` for A1111.
        public var waitMode: WaitMode?

        public init(
            scenario: String, protocol: BenchProtocol, target: String, load: String, request: String,
            waitMode: WaitMode?
        ) {
            self.scenario = scenario
            self.protocol = `protocol`
            self.target = target
            self.load = load
            self.request = request
            self.waitMode = waitMode
        }
    }

    public var setup: Setup
    /// From the start to the stop (the duration, or earlier on SIGINT).
    public var elapsed: Duration
    public var window: MeasurementWindow
    /// Successes that ended in the window.
    public var ok: Int
    /// Errors that ended in the window.
    public var errors: Int
    /// Transactions running when the run stopped.
    public var inFlight: Int
    /// Successes over the whole run, warm-up included.
    public var runOK: Int
    /// Errors over the whole run, warm-up included.
    public var runErrors: Int
    /// Errors that ended in the window, by ``ErrorKind/code``.
    public var errorsByKind: [String: Int]
    public var limit: ThroughputLimit?
    public var latency: LatencySummary?
    /// Darkroom only: `started_at − created_at` of the window's successes.
    public var queueWait: LatencySummary?
    /// Darkroom only: `finished_at − started_at` of the window's successes.
    public var service: LatencySummary?
    /// Darkroom only: from `finished_at` to the client reading the terminal state.
    public var detectionLag: LatencySummary?
    /// How long the window's refusals (429) took to arrive.
    public var rejectionLatency: LatencySummary?
    /// The window's transactions that repeated a refused submit after its `Retry-After`.
    public var retries = 0
    /// Those of ``retries`` that were admitted (not refused again).
    public var retriesAdmitted = 0
    /// The whole run second by second, warm-up included, with empty seconds up to the stop.
    public var timeline = Timeline()
    /// The whole run by the second each transaction started in (not in the JSON).
    public var startTimeline = Timeline()

    /// Successes per second of the window; 0 for an empty window.
    public var throughputPerSecond: Double {
        let seconds = window.length.inSeconds
        return seconds > 0 ? Double(ok) / seconds : 0
    }

    /// Errors ÷ transactions that ended in the window; 0 when none ended.
    public var errorRate: Double { rate(errors) }

    /// ``throughputPerSecond`` ÷ the limit; `nil` when the limit is unknown.
    public var efficiency: Double? {
        guard let limit, limit.perSecond > 0 else { return nil }
        return throughputPerSecond / limit.perSecond
    }

    /// ``retriesAdmitted`` ÷ ``retries``; `nil` when nothing was retried.
    public var retryAdmittedShare: Double? {
        retries > 0 ? Double(retriesAdmitted) / Double(retries) : nil
    }

    /// `count` as a fraction of the transactions that ended in the window.
    public func rate(_ count: Int) -> Double {
        ok + errors > 0 ? Double(count) / Double(ok + errors) : 0
    }
}
