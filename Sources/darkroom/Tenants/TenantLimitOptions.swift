import ArgumentParser
import DarkroomCore

/// The weight and limits `tenants create` and `tenants update` take; each one not given keeps its value (on
/// create: unlimited, weight 1).
struct TenantLimitOptions: ParsableArguments {
    @Option(help: "Share of the GPU time while several tenants wait, relative to the others (0.001…1000).")
    var weight: Double?

    @Option(help: "Jobs it may have queued at once.")
    var maxQueued: Int?

    @Option(help: "Jobs it may have running at once.")
    var maxRunning: Int?

    @Option(help: "Sustained submits it may make, e.g. 5/s, 120/min or 2 (per second).")
    var rate: SubmitRate?

    @Option(help: "Submits it may make at once after a pause (default: the rate's per-second value, at least 1).")
    var burst: Int?

    @Option(help: "GPU seconds its jobs may use per UTC day.")
    var dailyGPUSeconds: Double?

    @Option(
        help: ArgumentHelp(
            "A limit to remove (repeatable): max-queued, max-running, rate, burst, daily-gpu-seconds.",
            valueName: "limit"))
    var clear: [ClearableLimit] = []

    /// `tenant` with the options given applied.
    func applied(to tenant: Tenant) -> Tenant {
        var tenant = tenant
        if let weight { tenant.weight = weight }
        var limits = tenant.limits
        for limit in clear {
            switch limit {
            case .maxQueued: limits.maxQueued = nil
            case .maxRunning: limits.maxRunning = nil
            case .rate: limits.ratePerSecond = nil
            case .burst: limits.burst = nil
            case .dailyGPUSeconds: limits.dailyGPUSeconds = nil
            }
        }
        if let maxQueued { limits.maxQueued = maxQueued }
        if let maxRunning { limits.maxRunning = maxRunning }
        if let rate { limits.ratePerSecond = rate.perSecond }
        if let burst { limits.burst = burst }
        if let dailyGPUSeconds { limits.dailyGPUSeconds = dailyGPUSeconds }
        tenant.limits = limits
        return tenant
    }
}

/// A limit `--clear` removes.
enum ClearableLimit: String, ExpressibleByArgument, CaseIterable {
    case maxQueued = "max-queued"
    case maxRunning = "max-running"
    case rate
    case burst
    case dailyGPUSeconds = "daily-gpu-seconds"
}

/// `--rate`: a count per second, per minute or per hour (`5/s`, `120/min`, `3600/h`; a bare number is per second).
struct SubmitRate: ExpressibleByArgument {
    let perSecond: Double

    init?(argument: String) {
        let parts = argument.split(separator: "/", maxSplits: 1)
        guard let count = parts.first.flatMap({ Double($0) }), count > 0, count.isFinite else { return nil }
        let unit = parts.count == 2 ? String(parts[1]) : "s"
        switch unit {
        case "s", "sec", "second": perSecond = count
        case "m", "min", "minute": perSecond = count / 60
        case "h", "hour": perSecond = count / 3600
        default: return nil
        }
    }
}
