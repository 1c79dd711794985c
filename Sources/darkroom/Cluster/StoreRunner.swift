import ArgumentParser
import DarkroomStore
import Logging

/// Runs a process's body while its PostgreSQL store's connection pool runs, after migrating the schema.
///
/// The store starts first and stops last: the body (a ServiceGroup) drains its services, then the pool
/// closes. A database that cannot be reached or migrated ends the process at start with a clear message.
enum StoreRunner {
    static func run(_ store: PostgresJobStore, logger: Logger, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Immediate, so the pool runs before the first query below (else postgres-nio warns it was not).
            group.addImmediateTask { try await store.run() }
            defer { group.cancelAll() }
            do {
                try await store.checkConnection()
                try await store.migrate()
            } catch {
                logger.critical("Cannot use the database; check --database-url and that PostgreSQL is running")
                throw ExitCode.failure
            }
            try await body()
        }
    }
}
