/// The result of `darkroom bench --scenario seed`: the seed's published figures next to each measured run.
public struct ScenarioReport: Sendable, Equatable {
    /// One measured run, under its ``SeedRun/name``.
    public struct Run: Sendable, Equatable {
        public var name: String
        public var report: BenchReport

        public init(name: String, report: BenchReport) {
            self.name = name
            self.report = report
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
