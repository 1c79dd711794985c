import ArgumentParser
import Logging

/// `darkroom migrate`: apply the PostgreSQL schema migrations and exit.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending PostgreSQL schema migrations (safe while other processes start)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = Bootstrap.logging(level: logLevel)
        let store = try database.makeStore(logger: logger)
        try await StoreRunner.run(store, logger: logger) {
            logger.info("Database migrated")
        }
    }
}
