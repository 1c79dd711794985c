import DarkroomCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    /// An arbitrary constant: the advisory lock that serializes migrations across processes.
    private static let migrationLock = 0x6461_726b_726f_6f6d  // "darkroom"

    /// Applies pending migrations in one transaction, under an advisory lock, so several processes starting
    /// together apply each migration exactly once and none sees a half-migrated schema.
    public func migrate() async throws {
        let migrations = try Migrations.load(driver: "Postgres")
        try await perform { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS darkroom_migrations (
                        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied = Set<String>()
                for try await name in try await connection.query("SELECT name FROM darkroom_migrations", logger: logger)
                    .decode(String.self)
                {
                    applied.insert(name)
                }
                for migration in migrations where !applied.contains(migration.name) {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO darkroom_migrations (name) VALUES (\(migration.name))", logger: logger)
                    logger.info("Migration applied", metadata: [LogKey.path.rawValue: "\(migration.name)"])
                }
            }
        }
    }
}
