import Foundation

/// `--json` of a scenario: `{"scenario": "seed", "runs": [...], "published": [...]}`.
///
/// Each run is the run's ``BenchReport`` JSON object with `name` and `little_latency_seconds` added; each
/// published figure has `name`, `throughput_per_second`, `mean_latency_seconds` and `error_rate`.
extension ScenarioReport: Encodable {
    private enum Key: String, CodingKey {
        case scenario, runs, published
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(runs, forKey: .runs)
        try container.encode(published, forKey: .published)
    }
}

extension ScenarioReport.Run: Encodable {
    private enum Key: String, CodingKey {
        case name
        case littleLatencySeconds = "little_latency_seconds"
    }

    /// The report's keys, `name` and `little_latency_seconds`, in one object: both keyed containers write to
    /// the same one.
    public func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(name, forKey: .name)
        try container.encode(littleLatencySeconds, forKey: .littleLatencySeconds)
    }
}
