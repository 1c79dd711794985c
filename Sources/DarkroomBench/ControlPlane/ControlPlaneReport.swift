/// The result of `darkroom bench --control-plane`: one run per store, next to the reference figure.
public struct ControlPlaneReport: Sendable {
    /// One store's run.
    public struct Run: Sendable {
        public var store: String
        public var clients: Int
        public var tally: ControlPlaneTally

        public init(store: String, clients: Int, tally: ControlPlaneTally) {
            self.store = store
            self.clients = clients
            self.tally = tally
        }
    }

    /// A figure measured elsewhere with the same loop shape, for comparison.
    public struct Reference: Sendable, Equatable, Encodable {
        public var name: String
        public var jobsPerSecond: Double
        public var meanLatencySeconds: Double
        public var p99LatencySeconds: Double

        enum CodingKeys: String, CodingKey {
            case name
            case jobsPerSecond = "jobs_per_second"
            case meanLatencySeconds = "mean_latency_seconds"
            case p99LatencySeconds = "p99_latency_seconds"
        }

        /// Celery 5.7 with Redis on the same 2-core machine, 32 clients in a closed loop (from issue 6).
        public static let celeryRedis = Reference(
            name: "Celery 5.7 + Redis (reference)", jobsPerSecond: 474, meanLatencySeconds: 0.067,
            p99LatencySeconds: 0.112)
    }

    public var runs: [Run]
    /// What each job asked for (the smallest image Darkroom accepts, generated in zero simulated seconds).
    public var request: String
    public var references: [Reference] = [.celeryRedis]

    public init(runs: [Run], request: String) {
        self.runs = runs
        self.request = request
    }
}
