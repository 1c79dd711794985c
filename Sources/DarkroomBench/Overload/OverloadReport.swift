/// The result of `darkroom bench --scenario overload`: each step's report with what the ladder judges.
public struct OverloadReport: Sendable, Equatable {
    /// One step as measured.
    public struct Step: Sendable, Equatable {
        public var step: OverloadStep
        /// Arrivals offered per second.
        public var arrivalsPerSecond: Double
        public var report: BenchReport
        /// GPU seconds the server spent on jobs that ended expired during the step
        /// (`darkroom_gpu_seconds_total{outcome="expired"}`, read before and after it).
        public var expiredGPUSeconds: Double
        /// For the step after the burst: seconds from its start until the arrivals' latency was back within
        /// ``OverloadReport/recoveryBoundSeconds`` (``RecoveryTime``); `nil` otherwise, or when it never was.
        public var recoverySeconds: Int?

        public init(
            step: OverloadStep, arrivalsPerSecond: Double, report: BenchReport, expiredGPUSeconds: Double,
            recoverySeconds: Int? = nil
        ) {
            self.step = step
            self.arrivalsPerSecond = arrivalsPerSecond
            self.report = report
            self.expiredGPUSeconds = expiredGPUSeconds
            self.recoverySeconds = recoverySeconds
        }

        /// Refusals (429) as a share of the transactions that ended in the window.
        public var rejectedShare: Double { report.rate(report.errorsByKind[ErrorKind.rejected.code] ?? 0) }
    }

    public var limit: ThroughputLimit
    /// The simulated service time of one job.
    public var serviceSeconds: Double
    /// Each job's deadline: the client's timeout.
    public var deadlineSeconds: Int
    public var steps: [Step]

    public init(limit: ThroughputLimit, serviceSeconds: Double, deadlineSeconds: Int, steps: [Step]) {
        self.limit = limit
        self.serviceSeconds = serviceSeconds
        self.deadlineSeconds = deadlineSeconds
        self.steps = steps
    }

    /// Latency counted as recovered: twice the service time.
    public var recoveryBoundSeconds: Double { 2 * serviceSeconds }
}
