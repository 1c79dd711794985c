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
        do {
            _ = try PostgresJobStore.configuration(url: url)
        } catch let error as PostgresJobStore.URLError {
            throw ValidationError(error.description)
        }
        return url
    }

    func makeStore(logger: Logger) throws -> PostgresJobStore {
        PostgresJobStore(configuration: try PostgresJobStore.configuration(url: try url()), logger: logger)
    }
}
