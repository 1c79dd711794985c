/// The result of `darkroom bench --scenario seed`: the seed's published figures next to each measured run.
public struct ScenarioReport: Sendable, Equatable {
    /// One measured run, under its ``SeedRun/name``.
    public struct Run: Sendable, Equatable {
        public var name: String
        public var report: BenchReport
        /// The mean latency Little's law gives for the run's users at its limit (users ÷ limit − think), the
        /// figure a queue that keeps every slot busy and drops nothing must show; `nil` when unknown.
        public var littleLatencySeconds: Double?

        public init(name: String, report: BenchReport, littleLatencySeconds: Double? = nil) {
            self.name = name
            self.report = report
            self.littleLatencySeconds = littleLatencySeconds
        }
    }

    public var scenario: String
    public var published: [PublishedRun]
    /// In the order they ran.
    public var runs: [Run]

    public init(scenario: String = "seed", published: [PublishedRun] = PublishedRun.seed, runs: [Run]) {
        self.scenario = scenario
        self.published = published
        self.runs = runs
    }
}
