import DarkroomBench
import Foundation
import UnixSignals

/// What every kind of bench run does around its measurement: SIGINT, the progress line, the outputs.
extension BenchCommand {
    /// Runs `measure` with SIGINT passed to an ``InterruptionRelay`` (the run in progress stops early and is
    /// still reported), its notes printed on lines of their own; then prints the report and writes `--json`
    /// and `--markdown`.
    func runReported<Report: RenderedReport>(
        _ measure: (InterruptionRelay, ProgressLine, _ note: @Sendable (String) -> Void) async throws -> Report
    ) async throws -> Report {
        let relay = InterruptionRelay()
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint) { relay.interrupt() }
        }
        defer { signals.cancel() }
        let line = ProgressLine()
        let report = try await measure(relay, line) { note in
            line.finish()
            print(note)
        }
        line.finish()
        try publish(report)
        return report
    }

    /// Prints `report` and writes the `--json` and `--markdown` files asked for.
    func publish(_ report: some RenderedReport) throws {
        print(report.text, terminator: "")
        if let json { try report.jsonData().write(to: URL(fileURLWithPath: json)) }
        if let markdown { try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: markdown)) }
    }
}
