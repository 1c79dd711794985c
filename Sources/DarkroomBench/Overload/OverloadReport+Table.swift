/// The ladder as people read it: one row per step, then the recovery after the burst.
extension OverloadReport {
    /// For a terminal: a heading, aligned columns and the recovery line.
    public var text: String { ([heading, "", table.plain(), ""] + recoveryLines).joined(separator: "\n") + "\n" }

    /// For docs/benchmarks.md: the same in Markdown.
    public var markdown: String {
        ([heading + "  ", "", table.markdown(), ""] + recoveryLines).joined(separator: "\n") + "\n"
    }

    private var heading: String {
        let request = steps.first.map { "; request: \($0.report.setup.request)" } ?? ""
        return "darkroom bench: scenario overload, open loop on loopback; limit "
            + "\(ReportNumber.fixed(limit.perSecond, 2)) jobs/s (\(limit.source))\(request)"
    }

    var table: TextTable {
        let rows = steps.map { step -> [String] in
            let report = step.report
            let goodput = ReportNumber.fixed(report.throughputPerSecond, 2)
            let share = report.efficiency.map { ReportNumber.fixed($0, 3) } ?? ""
            let p99 = report.latency.map { ReportNumber.fixed($0.p99, 2) } ?? ""
            let timeouts = report.errorsByKind[ErrorKind.timeout.code] ?? 0
            let expired = report.errorsByKind[ErrorKind.expired.code] ?? 0
            let refusalP99 = report.rejectionLatency.map { ReportNumber.fixed($0.p99 * 1000, 1) } ?? ""
            return [
                step.step.name, ReportNumber.fixed(step.arrivalsPerSecond, 2), goodput, share,
                ReportNumber.percent(step.rejectedShare), p99, String(timeouts), String(expired),
                ReportNumber.fixed(step.expiredGPUSeconds, 1), refusalP99,
            ]
        }
        return TextTable(
            header: [
                "step", "arrivals/s", "goodput ok/s", "÷ limit", "rejected", "accepted p99 s", "timeouts", "expired",
                "GPU s expired", "429 p99 ms",
            ],
            rows: rows, isNumeric: true)
    }

    private var recoveryLines: [String] {
        steps.filter(\.step.isRecovery).map { step in
            let bound = ReportNumber.fixed(recoveryBoundSeconds, 2)
            let time = step.recoverySeconds.map { "after \($0) s" } ?? "not within the step"
            return "After the burst, the arrivals' p95 latency was back within 2 × the service time (\(bound) s) "
                + "\(time); the deadline is \(deadlineSeconds) s."
        }
    }
}
