import Foundation

/// What `darkroom bench --scenario fairness` measured: each tenant's share of the GPU seconds while all were
/// backlogged against its weight's, Jain's index, and how long a late tenant's one job waited.
public struct FairnessReport: Sendable, RenderedReport {
    /// `sqlite` (embedded) or `postgresql` (cluster).
    public var store: String
    public var gpus: Int
    /// One job's time on a simulated GPU.
    public var serviceSeconds: Double
    /// `nil` when the window was empty (a tenant ran nothing).
    public var measure: FairShareMeasure?
    /// From the late job's acceptance to its start; `nil` if it never started.
    public var lateWaitSeconds: Double?
    /// From the first slot freeing after the late job's acceptance to its start.
    public var lateWaitAfterFreeSeconds: Double?

    /// The most a share may be off its weight's (relative).
    public static let tolerance = 0.10

    /// Whether every share is within ``tolerance`` of its weight's.
    public var sharesHold: Bool { (measure?.worstError ?? .infinity) <= Self.tolerance }

    /// Whether the late job started within one service time of a slot freeing: it waited for no backlog.
    public var lateJobHolds: Bool { (lateWaitAfterFreeSeconds ?? .infinity) <= serviceSeconds }

    public var text: String { lines(table: table.plain()).joined(separator: "\n") + "\n" }

    public var markdown: String { lines(table: table.markdown()).joined(separator: "\n") + "\n" }

    private func lines(table: String) -> [String] {
        var lines = [
            "darkroom bench: scenario fairness, \(store), \(gpus) simulated GPUs, "
                + "\(ReportNumber.fixed(serviceSeconds, 3)) s a job", "", table, "",
        ]
        if let measure {
            lines.append(
                "while all were backlogged (\(ReportNumber.fixed(measure.window.upperBound.timeIntervalSince(measure.window.lowerBound), 1)) s): "
                    + "Jain's index \(ReportNumber.fixed(measure.jainIndex, 4)), worst share "
                    + "\(ReportNumber.percent(measure.worstError)) off its weight's (at most "
                    + "\(ReportNumber.percent(Self.tolerance))): \(sharesHold ? "holds" : "FAILS")")
        } else {
            lines.append("no window in which every tenant was backlogged: FAILS")
        }
        if let wait = lateWaitSeconds, let afterFree = lateWaitAfterFreeSeconds {
            lines.append(
                "late tenant's one job waited \(ReportNumber.fixed(wait, 3)) s, \(ReportNumber.fixed(afterFree, 3)) s "
                    + "after a slot freed (at most one service time, \(ReportNumber.fixed(serviceSeconds, 3)) s): "
                    + (lateJobHolds ? "holds" : "FAILS"))
        } else {
            lines.append("late tenant's one job never started: FAILS")
        }
        return lines
    }

    var table: TextTable {
        let rows = (measure?.shares ?? []).map { share in
            [
                share.name, ReportNumber.plain(share.weight), ReportNumber.fixed(share.gpuSeconds, 1),
                ReportNumber.percent(share.share), ReportNumber.percent(share.target),
                ReportNumber.percent(share.relativeError),
            ]
        }
        return TextTable(
            header: ["tenant", "weight", "GPU s", "share", "weight's share", "off by"], rows: rows, isNumeric: true)
    }
}

/// `--json`: `{"scenario": "fairness", "store", "gpus", "service_seconds", "window_seconds", "jain_index",
/// "worst_error", "shares_hold", "late_wait_seconds", "late_wait_after_free_seconds", "late_job_holds",
/// "tenants": [{"name", "weight", "gpu_seconds", "share", "target"}]}`.
extension FairnessReport: Encodable {
    private enum Key: String, CodingKey {
        case scenario, store, gpus, tenants
        case serviceSeconds = "service_seconds"
        case windowSeconds = "window_seconds"
        case jainIndex = "jain_index"
        case worstError = "worst_error"
        case sharesHold = "shares_hold"
        case lateWaitSeconds = "late_wait_seconds"
        case lateWaitAfterFreeSeconds = "late_wait_after_free_seconds"
        case lateJobHolds = "late_job_holds"
    }

    private enum TenantKey: String, CodingKey {
        case name, weight, share, target
        case gpuSeconds = "gpu_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode("fairness", forKey: .scenario)
        try container.encode(store, forKey: .store)
        try container.encode(gpus, forKey: .gpus)
        try container.encode(serviceSeconds, forKey: .serviceSeconds)
        try container.encodeIfPresent(
            measure.map { $0.window.upperBound.timeIntervalSince($0.window.lowerBound) }, forKey: .windowSeconds)
        try container.encodeIfPresent(measure?.jainIndex, forKey: .jainIndex)
        try container.encodeIfPresent(measure?.worstError, forKey: .worstError)
        try container.encode(sharesHold, forKey: .sharesHold)
        try container.encodeIfPresent(lateWaitSeconds, forKey: .lateWaitSeconds)
        try container.encodeIfPresent(lateWaitAfterFreeSeconds, forKey: .lateWaitAfterFreeSeconds)
        try container.encode(lateJobHolds, forKey: .lateJobHolds)
        var tenants = container.nestedUnkeyedContainer(forKey: .tenants)
        for share in measure?.shares ?? [] {
            var tenant = tenants.nestedContainer(keyedBy: TenantKey.self)
            try tenant.encode(share.name, forKey: .name)
            try tenant.encode(share.weight, forKey: .weight)
            try tenant.encode(share.gpuSeconds, forKey: .gpuSeconds)
            try tenant.encode(share.share, forKey: .share)
            try tenant.encode(share.target, forKey: .target)
        }
    }
}
