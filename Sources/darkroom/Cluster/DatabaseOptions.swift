import ArgumentParser
import DarkroomStore
import Foundation
import Logging

/// `--database-url`, falling back to `DARKROOM_DATABASE_URL`.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL, e.g. postgres://user:password@host:5432/darkroom (default: $DARKROOM_DATABASE_URL).")
    var databaseURL: String?

    /// The URL given, or the environment's; a missing or malformed one is a usage error, not a crash.
    func url() throws -> String {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["DARKROOM_DATABASE_URL"] else {
            throw ValidationError("--database-url or DARKROOM_DATABASE_URL is required")
        }
        return url
    }

    func makeStore(logger: Logger) throws -> PostgresJobStore {
        try Self.makeStore(url: try url(), logger: logger)
    }

    /// A store for `url`; a malformed URL is a usage error.
    static func makeStore(url: String, logger: Logger) throws -> PostgresJobStore {
        do {
            return PostgresJobStore(configuration: try PostgresJobStore.configuration(url: url), logger: logger)
        } catch let error as PostgresJobStore.URLError {
            throw ValidationError(error.description)
        }
    }
}
