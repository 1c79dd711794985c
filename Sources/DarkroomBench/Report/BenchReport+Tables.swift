/// The report as people read it: a heading, the summary table and the timing table, as plain text or Markdown.
extension BenchReport {
    /// For a terminal: aligned columns.
    public var text: String {
        (heading + ["", summaryTable.plain(), "", timingTable.plain()]).joined(separator: "\n") + "\n"
    }

    /// For docs/benchmarks.md: the same heading and tables in Markdown.
    public var markdown: String {
        (heading.map { $0 + "  " } + ["", summaryTable.markdown(), "", timingTable.markdown()])
            .joined(separator: "\n") + "\n"
    }

    private var heading: [String] {
        let wait = setup.waitMode.map { ", waiting by \($0.rawValue)" } ?? ""
        return [
            "darkroom bench: scenario \(setup.scenario), \(setup.protocol.rawValue) protocol\(wait), "
                + "target \(setup.target)",
            "load: \(setup.load); request: \(setup.request)",
            "window: \(seconds(window.start)) s to \(seconds(window.end)) s of \(seconds(elapsed)) s; "
                + "a transaction counts where it ends",
        ]
    }

    var summaryTable: TextTable {
        var rows = [
            ["transactions", "ok \(ok), errors \(errors); in flight at stop \(inFlight)"],
            ["whole run", "ok \(runOK), errors \(runErrors)"],
            ["throughput", ReportNumber.fixed(throughputPerSecond, 2) + " ok/s"],
            ["error rate", ReportNumber.percent(errorRate)],
        ]
        for (code, count) in errorsByKind.sorted(by: { $0.key < $1.key }) {
            rows.append(["  \(code)", "\(count) (\(ReportNumber.percent(rate(count))))"])
        }
        if let limit {
            rows.append(["limit", ReportNumber.fixed(limit.perSecond, 2) + " jobs/s (\(limit.source))"])
        } else {
            rows.append(["limit", "unknown"])
        }
        rows.append(["efficiency", efficiency.map { ReportNumber.fixed($0, 3) } ?? "unknown"])
        if let share = retryAdmittedShare {
            rows.append(
                ["retries at Retry-After", "\(retries), admitted \(retriesAdmitted) (\(ReportNumber.percent(share)))"])
        }
        return TextTable(header: ["metric", "value"], rows: rows)
    }

    var timingTable: TextTable {
        let timings: [(String, LatencySummary?)] = [
            ("latency", latency), ("queue wait", queueWait), ("service", service), ("detection lag", detectionLag),
            ("429 answer (refusals)", rejectionLatency),
        ]
        let rows = timings.compactMap { name, summary in
            summary.map { summary in
                [name]
                    + [summary.mean, summary.p50, summary.p95, summary.p99, summary.max].map {
                        ReportNumber.fixed($0, 3)
                    }
            }
        }
        return TextTable(
            header: ["seconds (successes)", "mean", "p50", "p95", "p99", "max"],
            rows: rows.isEmpty ? [["no successes in the window"]] : rows, isNumeric: true)
    }

    private func seconds(_ duration: Duration) -> String { ReportNumber.fixed(duration.inSeconds, 1) }
}
