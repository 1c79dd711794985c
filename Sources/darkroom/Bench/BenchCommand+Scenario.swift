import ArgumentParser
import DarkroomBench
import Foundation
import Logging
import UnixSignals

/// `--scenario seed`: the runs, their servers and the side-by-side table.
extension BenchCommand {
    var isSeedScenario: Bool { scenario == "seed" }

    func seedScenario(logger: Logger) throws -> SeedScenario {
        SeedScenario(
            base: try benchConfiguration(), simSeconds: simSeconds, runs: try SeedRun.list(scenarioRuns),
            executable: Self.currentExecutable(), logger: logger)
    }

    /// Prints a line per server started and stopped, then the table; `--json` and `--markdown` write it too.
    func runSeedScenario(logger: Logger) async throws {
        let relay = InterruptionRelay()
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint) { relay.interrupt() }
        }
        defer { signals.cancel() }
        let line = ProgressLine()
        let report = try await seedScenario(logger: logger).run(
            interruptions: relay, progress: { line.show($0.line) },
            note: { note in
                line.finish()
                print("seed: \(note)")
            })
        line.finish()
        print("")
        print(report.text, terminator: "")
        if let json { try report.jsonData().write(to: URL(fileURLWithPath: json)) }
        if let markdown { try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: markdown)) }
    }

    /// This process's own binary, which starts the scenario's servers.
    private static func currentExecutable() -> URL {
        if let url = Bundle.main.executableURL, FileManager.default.isExecutableFile(atPath: url.path) { return url }
        let argument = CommandLine.arguments[0]
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return URL(fileURLWithPath: argument, relativeTo: current).standardizedFileURL
    }
}
