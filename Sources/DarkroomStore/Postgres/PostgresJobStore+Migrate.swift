import DarkroomCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    /// Applies pending migrations and creates this build's functions in one transaction, under an advisory lock,
    /// so several processes starting together apply each migration exactly once and none sees a half-migrated
    /// schema.
    ///
    /// The lock is per schema (schemas migrate independently), and migrating may wait for another process's
    /// migration or build an index over a large table, so it gets five minutes, or the operation budget if that is
    /// longer. (A minute was too little for a fresh schema on two cores loaded by a browser and `stress-ng`.)
    public func migrate() async throws {
        let migrations = try Migrations.load(driver: "Postgres")
        try await perform(within: max(.seconds(300), operationTimeout)) { [self] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtext('darkroom_migrations.' || current_schema()))", logger: logger
                )
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
                // Functions built from the statements of this build, named by their text (``ClaimStatement``).
                try await connection.query(PostgresQuery(unsafeSQL: ClaimStatement.createFunction), logger: logger)
            }
        }
    }
}
