/// The control-plane table: the reference first, then one row per store.
extension ControlPlaneReport {
    /// For a terminal: a heading and aligned columns.
    public var text: String { heading + "\n\n" + table.plain() + "\n" }

    /// For docs/benchmarks.md: the same heading and table in Markdown.
    public var markdown: String { heading + "\n\n" + table.markdown() + "\n" }

    private var heading: String {
        let clients = runs.first.map { "\($0.clients) clients in a closed loop, " } ?? ""
        return "darkroom bench: control plane, \(clients)zero-work jobs (\(request)), submit → SSE notice"
    }

    var table: TextTable {
        func milliseconds(_ seconds: Double?) -> String { seconds.map { ReportNumber.fixed($0 * 1000, 1) } ?? "" }
        let references = references.map { reference in
            [
                reference.name, "", ReportNumber.fixed(reference.jobsPerSecond, 0),
                milliseconds(reference.meanLatencySeconds), "", "", milliseconds(reference.p99LatencySeconds), "",
                "", "",
            ]
        }
        let measured = runs.map { run in
            let tally = run.tally
            let errors = tally.errorsByKind.sorted { $0.key.code < $1.key.code }.map { "\($0.key.code) \($0.value)" }
            return [
                run.store, String(tally.measured), tally.jobsPerSecond.map { ReportNumber.fixed($0, 0) } ?? "",
                milliseconds(tally.latency?.mean), milliseconds(tally.latency?.p50), milliseconds(tally.latency?.p95),
                milliseconds(tally.latency?.p99), milliseconds(tally.latency?.max),
                milliseconds(tally.detectionLag?.p50), errors.isEmpty ? "0" : errors.joined(separator: ", "),
            ]
        }
        return TextTable(
            header: [
                "store", "jobs", "jobs/s", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms", "detection p50 ms",
                "errors",
            ],
            rows: references + measured, isNumeric: true)
    }
}
