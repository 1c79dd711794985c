import DarkroomBench
import Foundation
import Logging

/// `--control-plane`: zero-work jobs through the whole path, on SQLite and (with `--database-url`) PostgreSQL, or
/// through a server already running at `--target`.
extension BenchCommand {
    func controlPlaneBench(logger: Logger) -> ControlPlaneBench {
        var stores: [ControlPlaneStore] = [.sqlite]
        if let databaseURL { stores.append(.postgres(url: databaseURL)) }
        if let target, let url = URL(string: target) { stores = [.running(url)] }  // validate() refused both
        return ControlPlaneBench(
            stores: stores, clients: clients, jobs: jobs, warmupJobs: warmupJobs, timeout: timeout,
            executable: Self.currentExecutable(), logger: logger)
    }

    /// Prints a line per server started and stopped, then the table.
    func runControlPlane(logger: Logger) async throws {
        _ = try await runReported { relay, line, note in
            let report = try await controlPlaneBench(logger: logger).run(
                interruptions: relay, progress: { store, done, total in line.show("[\(store)] \(done)/\(total) jobs") },
                note: { note("control plane: \($0)") })
            print("")
            return report
        }
    }
}
