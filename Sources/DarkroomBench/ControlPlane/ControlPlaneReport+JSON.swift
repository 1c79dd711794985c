import Foundation

/// `--json` of a control-plane run:
/// `{"scenario": "control-plane", "request": …, "runs": [{"store", "clients", "jobs", "succeeded",
/// "errors_by_kind", "elapsed_seconds", "jobs_per_second", "latency_seconds", "detection_lag_seconds"}],
/// "references": [{"name", "jobs_per_second", "mean_latency_seconds", "p99_latency_seconds"}]}`.
extension ControlPlaneReport: Encodable {
    private enum Key: String, CodingKey {
        case scenario, request, runs, references
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode("control-plane", forKey: .scenario)
        try container.encode(request, forKey: .request)
        try container.encode(runs, forKey: .runs)
        try container.encode(references, forKey: .references)
    }
}

extension ControlPlaneReport.Run: Encodable {
    private enum Key: String, CodingKey {
        case store, clients, jobs, succeeded
        case errorsByKind = "errors_by_kind"
        case elapsedSeconds = "elapsed_seconds"
        case jobsPerSecond = "jobs_per_second"
        case latencySeconds = "latency_seconds"
        case detectionLagSeconds = "detection_lag_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(store, forKey: .store)
        try container.encode(clients, forKey: .clients)
        try container.encode(tally.measured, forKey: .jobs)
        try container.encode(tally.succeeded, forKey: .succeeded)
        let errors = Dictionary(uniqueKeysWithValues: tally.errorsByKind.map { ($0.key.code, $0.value) })
        try container.encode(errors, forKey: .errorsByKind)
        try container.encode(tally.span?.inSeconds, forKey: .elapsedSeconds)
        try container.encode(tally.jobsPerSecond, forKey: .jobsPerSecond)
        try container.encode(tally.latency, forKey: .latencySeconds)
        try container.encode(tally.detectionLag, forKey: .detectionLagSeconds)
    }
}
