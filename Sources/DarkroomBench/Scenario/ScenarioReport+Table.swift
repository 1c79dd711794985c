/// The side-by-side table: one row per published figure, then one per measured run.
extension ScenarioReport {
    /// For a terminal: a heading and aligned columns.
    public var text: String {
        heading + "\n\n" + table.plain() + "\n"
    }

    /// For docs/benchmarks.md: the same heading and table in Markdown.
    public var markdown: String {
        heading + "\n\n" + table.markdown() + "\n"
    }

    private var heading: String {
        let load = runs.first.map { "; load: \($0.report.setup.load); request: \($0.report.setup.request)" } ?? ""
        return "darkroom bench: scenario \(scenario), measured on loopback\(load)"
    }

    var table: TextTable {
        let published = published.map { figure in
            [
                figure.name, ReportNumber.fixed(figure.throughputPerSecond, 2),
                ReportNumber.fixed(figure.meanLatencySeconds, 2), "", "", ReportNumber.percent(figure.errorRate), "",
                "", "", "",
            ]
        }
        let measured = runs.map { run -> [String] in
            let report = run.report
            let timeouts: Int = report.errorsByKind[ErrorKind.timeout.code] ?? 0
            let refusalP99: String = report.rejectionLatency.map { ReportNumber.fixed($0.p99 * 1000, 1) } ?? ""
            return [
                run.name, ReportNumber.fixed(report.throughputPerSecond, 2),
                report.latency.map { ReportNumber.fixed($0.mean, 2) } ?? "",
                run.littleLatencySeconds.map { ReportNumber.fixed($0, 2) } ?? "",
                report.latency.map { ReportNumber.fixed($0.p95, 2) } ?? "", ReportNumber.percent(report.errorRate),
                report.limit.map { ReportNumber.fixed($0.perSecond, 2) } ?? "",
                report.efficiency.map { ReportNumber.fixed($0, 3) } ?? "",
                String(timeouts), refusalP99,
            ]
        }
        return TextTable(
            header: [
                "run", "throughput ok/s", "mean latency s", "Little's law s", "p95 s", "error rate", "limit jobs/s",
                "efficiency", "timeouts", "429 p99 ms",
            ],
            rows: published + measured, isNumeric: true)
    }
}
