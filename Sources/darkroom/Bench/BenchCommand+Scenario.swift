import ArgumentParser
import DarkroomBench
import Foundation
import Logging

/// `--scenario seed`: the runs, their servers and the side-by-side table.
extension BenchCommand {
    var isSeedScenario: Bool { scenario == "seed" }

    var isOverloadScenario: Bool { scenario == "overload" }

    /// The ladder: rungs of --duration (default 120 s) measured over their last --measure-last (default 60 s),
    /// then the burst, and a recovery of twice the timeout.
    func overloadScenario(logger: Logger) throws -> OverloadScenario {
        var base = try benchConfiguration()
        base.duration = duration ?? .seconds(120)
        base.measureLast = measureLast ?? .seconds(60)
        return OverloadScenario(
            base: base, simSeconds: simSeconds,
            steps: OverloadStep.ladder(
                rung: base.duration, measureLast: base.measureLast ?? base.duration, recovery: timeout * 2),
            executable: Self.currentExecutable(), logger: logger)
    }

    /// Prints a line per step, then the ladder's table.
    func runOverloadScenario(logger: Logger) async throws {
        _ = try await runReported { relay, line, note in
            let report = try await overloadScenario(logger: logger).run(
                interruptions: relay, progress: { line.show($0.line) }, note: note)
            print("")
            return report
        }
    }

    func seedScenario(logger: Logger) throws -> SeedScenario {
        SeedScenario(
            base: try benchConfiguration(), simSeconds: simSeconds, runs: try SeedRun.list(scenarioRuns),
            executable: Self.currentExecutable(), logger: logger)
    }

    /// Prints a line per server started and stopped, then the table; `--svg seed.svg` draws each run to
    /// `seed-webui.svg`, `seed-darkroom-1.svg`, ….
    func runSeedScenario(logger: Logger) async throws {
        let report = try await runReported { relay, line, note in
            let report = try await seedScenario(logger: logger).run(
                interruptions: relay, progress: { line.show($0.line) }, note: { note("seed: \($0)") })
            print("")
            return report
        }
        guard let svg else { return }
        for run in report.runs {
            let url = Self.perRun(svg, name: run.name)
            try Data(TimelineSVG(report: run.report).render().utf8).write(to: url)
        }
    }

    /// `path` with `-NAME` before its extension: `out/seed.svg` → `out/seed-webui.svg`.
    static func perRun(_ path: String, name: String) -> URL {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent + "-" + name
        let file = url.pathExtension.isEmpty ? stem : stem + "." + url.pathExtension
        return url.deletingLastPathComponent().appendingPathComponent(file)
    }

    /// This process's own binary, which starts the scenario's servers.
    static func currentExecutable() -> URL {
        if let url = Bundle.main.executableURL, FileManager.default.isExecutableFile(atPath: url.path) { return url }
        let argument = CommandLine.arguments[0]
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return URL(fileURLWithPath: argument, relativeTo: current).standardizedFileURL
    }
}
