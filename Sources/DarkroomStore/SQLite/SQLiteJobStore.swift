import DarkroomCore
import Foundation
import GRDB
import Logging

/// The embedded ``JobStore``: one SQLite file in WAL mode, for a single machine.
///
/// SQLite has one writer at a time, so every state change is a single statement (or a short
/// transaction) in ``DatabasePool/write(_:)``: a claim's `UPDATE … WHERE id IN (SELECT … LIMIT n)`
/// cannot race another claim. Readers never block the writer in WAL mode.
/// `now: nil` means this process's clock, which is the database's clock for an embedded file.
public final class SQLiteJobStore: JobStore {
    let pool: DatabasePool
    let feed = JobChangeFeed()
    let logger: Logger

    /// Opens (creating if needed) the database at `path`.
    ///
    /// - Throws: ``JobStoreError/unavailable(detail:)`` when the file cannot be opened.
    public init(path: String, logger: Logger) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.interpret(error, logger: logger)
        }
        self.logger = logger
    }

    public func migrate() async throws {
        var migrator = DatabaseMigrator()
        for migration in try Migrations.load(driver: "SQLite") {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
            }
        }
        try await perform { [pool] in try migrator.migrate(pool) }
    }

    public func changes() -> AsyncStream<Job> { feed.subscribe() }

    public func changes(of id: JobID) -> AsyncStream<Job> { feed.subscribe(to: id) }

    public func stateChanges() -> AsyncStream<JobStateChange> { feed.subscribeStates() }

    /// Runs a database write that changes jobs, maps its errors, and publishes the jobs it returns.
    func write(_ body: @escaping @Sendable (Database) throws -> [Job]) async throws -> [Job] {
        let jobs = try await update(body)
        feed.publish(jobs)
        return jobs
    }

    /// Runs a database write and maps its errors, publishing nothing (no job changed, or none anyone waits on).
    func update<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await perform { [pool] in try await pool.write(body) }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await perform { [pool] in try await pool.read(body) }
    }

    private func perform<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as JobStoreError {
            throw error
        } catch let error as TenantDirectoryError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.interpret(error, logger: logger)
        }
    }

    /// The one place native database errors become ``JobStoreError``.
    static func interpret(_ error: any Error, logger: Logger) -> JobStoreError {
        logger.error("Database error", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
        return .unavailable(detail: String(reflecting: error))
    }
}
