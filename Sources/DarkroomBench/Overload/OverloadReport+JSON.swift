/// `--json` of the overload scenario: `{"scenario": "overload", "limit_per_second", "service_seconds",
/// "deadline_seconds", "recovery_bound_seconds", "steps": [...]}`; each step is its ``BenchReport`` JSON object with
/// `name`, `multiple`, `arrivals_per_second`, `rejected_share`, `expired_gpu_seconds` and `recovery_seconds`
/// (`null` but after the burst) added.
extension OverloadReport: Encodable {
    private enum Key: String, CodingKey {
        case scenario, steps
        case limitPerSecond = "limit_per_second"
        case serviceSeconds = "service_seconds"
        case deadlineSeconds = "deadline_seconds"
        case recoveryBoundSeconds = "recovery_bound_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode("overload", forKey: .scenario)
        try container.encode(limit.perSecond, forKey: .limitPerSecond)
        try container.encode(serviceSeconds, forKey: .serviceSeconds)
        try container.encode(deadlineSeconds, forKey: .deadlineSeconds)
        try container.encode(recoveryBoundSeconds, forKey: .recoveryBoundSeconds)
        try container.encode(steps, forKey: .steps)
    }
}

extension OverloadReport.Step: Encodable {
    private enum Key: String, CodingKey {
        case name, multiple
        case arrivalsPerSecond = "arrivals_per_second"
        case rejectedShare = "rejected_share"
        case expiredGPUSeconds = "expired_gpu_seconds"
        case recoverySeconds = "recovery_seconds"
    }

    /// The report's keys and the step's in one object: both keyed containers write to the same one.
    public func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(step.name, forKey: .name)
        try container.encode(step.multiple, forKey: .multiple)
        try container.encode(arrivalsPerSecond, forKey: .arrivalsPerSecond)
        try container.encode(rejectedShare, forKey: .rejectedShare)
        try container.encode(expiredGPUSeconds, forKey: .expiredGPUSeconds)
        try container.encode(recoverySeconds, forKey: .recoverySeconds)
    }
}
