import ArgumentParser
import DarkroomStore
import Foundation
import Logging

/// Which store the `tenants` and `keys` commands change: the same options the servers take. `--database-url`
/// names a cluster's PostgreSQL; otherwise `--data-dir` names an embedded server's directory (its SQLite file).
/// Without either, `DARKROOM_DATABASE_URL` if set, else `./darkroom-data`. Both work while a server runs on them.
struct DirectoryOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL of a cluster's store (default: $DARKROOM_DATABASE_URL when --data-dir is not given).")
    var databaseURL: String?

    @Option(help: "Data directory of an embedded server (darkroom serve --data-dir); default ./darkroom-data.")
    var dataDir: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    /// Runs `body` with the chosen store, migrated, and closes it after.
    func withDirectory<Result>(_ body: (any TenantDirectory) async throws -> Result) async throws -> Result {
        let logger = Bootstrap.logging(level: logLevel)
        let environment = ProcessInfo.processInfo.environment["DARKROOM_DATABASE_URL"]
        if let url = databaseURL ?? (dataDir == nil ? environment : nil) {
            let store = try DatabaseOptions.makeStore(url: url, logger: logger)
            return try await StoreRunner.run(store, logger: logger) { try await body(store) }
        }
        let directory = URL(fileURLWithPath: dataDir ?? "./darkroom-data", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteJobStore(path: directory.appendingPathComponent("darkroom.sqlite").path, logger: logger)
        try await store.migrate()
        return try await body(store)
    }
}
