import GRDB

/// Group commit: writes that arrive while one commits wait, then commit together in one transaction, each in a
/// savepoint of its own, so a write that fails rolls back alone and the others still commit.
///
/// SQLite has one writer, so concurrent writes ran one after another already; together they share one hop to
/// the writer's queue, one commit, and one append of each page they change to the write-ahead log (jobs made
/// at about the same time share the pages of the table and of its indexes). Every caller still returns only
/// after its write has committed.
extension SQLiteJobStore {
    /// One caller's write, its result type erased so that writes of any result can share a transaction.
    typealias Write = @Sendable (Database) throws -> any Sendable

    /// Commits `writes` in one transaction: one result per write, in order. A failed commit fails them all.
    static func commit(_ writes: [Write], in pool: DatabasePool) async -> [Result<any Sendable, any Error>] {
        do {
            guard writes.count > 1 else { return [.success(try await pool.write { try writes[0]($0) })] }
            return try await pool.write { db in writes.map { run($0, inSavepointOf: db) } }
        } catch {
            return writes.map { _ in .failure(error) }
        }
    }

    private static func run(_ write: Write, inSavepointOf db: Database) -> Result<any Sendable, any Error> {
        var outcome: Result<any Sendable, any Error> = .failure(MissingResult())
        do {
            try db.inSavepoint {
                do {
                    outcome = .success(try write(db))
                    return .commit
                } catch {
                    outcome = .failure(error)
                    return .rollback
                }
            }
        } catch {
            outcome = .failure(error)
        }
        return outcome
    }
}
