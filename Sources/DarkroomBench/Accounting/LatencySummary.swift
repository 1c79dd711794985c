/// The figures the report gives for a set of durations, in seconds.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var mean: Double
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    public init(mean: Double, p50: Double, p95: Double, p99: Double, max: Double) {
        self.mean = mean
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }
}
