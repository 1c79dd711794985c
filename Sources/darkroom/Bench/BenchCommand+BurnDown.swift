import DarkroomBench
import DarkroomStore
import Foundation
import Logging

/// `--burn-down`: the store's own ceiling (insert N, then K consumers claim and complete), on SQLite and, with
/// `--database-url`, PostgreSQL.
extension BenchCommand {
    var storeBurnDown: StoreBurnDown {
        StoreBurnDown(jobs: jobs, consumers: clients, batch: batch, tenants: tenants, drain: drain)
    }

    func runBurnDown(logger: Logger) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-burn-down-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try SQLiteJobStore(path: directory.appendingPathComponent("jobs.sqlite").path, logger: logger)
        try await sqlite.migrate()
        var results = [("sqlite", try await storeBurnDown.run(on: sqlite))]
        print(Self.line("sqlite", results[0].1, storeBurnDown))
        if let databaseURL {
            let postgres = PostgresJobStore(
                configuration: try PostgresJobStore.configuration(url: databaseURL), logger: logger)
            let result = try await StoreRunner.run(postgres, logger: logger) {
                try await storeBurnDown.run(on: postgres)
            }
            results.append(("postgres", result))
            print(Self.line("postgres", result, storeBurnDown))
        }
        if let json { try Self.json(results, storeBurnDown).write(to: URL(fileURLWithPath: json), options: .atomic) }
    }

    static func line(_ store: String, _ result: StoreBurnDown.Result, _ shape: StoreBurnDown) -> String {
        String(
            format: "burn-down %@: insert %d jobs of %d tenants in %.2f s (%.0f/s); %d consumers, batch %d: "
                + "%d drained, %.0f jobs/s (%.2f s); %d claims, mean %.3f ms",
            store, result.jobs, shape.tenants, result.insertSeconds, result.insertRate, shape.consumers, shape.batch,
            result.drained, result.burnDownRate, result.burnDownSeconds, result.claims,
            result.meanClaimSeconds * 1000)
    }

    static func json(_ results: [(String, StoreBurnDown.Result)], _ shape: StoreBurnDown) throws -> Data {
        let runs = results.map { store, result in
            [
                "store": store, "jobs": result.jobs, "drained": result.drained, "insert_seconds": result.insertSeconds,
                "burn_down_seconds": result.burnDownSeconds, "burn_down_jobs_per_second": result.burnDownRate,
                "claims": result.claims, "mean_claim_seconds": result.meanClaimSeconds,
            ] as [String: any Sendable]
        }
        let report: [String: Any] = [
            "consumers": shape.consumers, "batch": shape.batch, "tenants": shape.tenants, "runs": runs,
        ]
        return try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
    }
}
