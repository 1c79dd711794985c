import DarkroomCore
import Foundation
import GRDB

/// The fair share corrected with measured GPU time, on SQLite: the same steps as PostgreSQL's
/// ``FairCorrectionStatement``, inside the completion's transaction.
extension SQLiteJobStore {
    /// Charges `tenant` with `portraits` reference portraits of GPU time beyond what its completed job was
    /// predicted to take (negative: short of it), and moves one of its queued turns once the charge pending
    /// reaches a turn's length (docs/tenants.md, "Fair share").
    static func correctFairShare(of tenant: String, byPortraits portraits: Double, db: Database) throws {
        let weight =
            try Double.fetchOne(
                db.cachedStatement(sql: "SELECT weight FROM tenants WHERE name = ?"), arguments: [tenant]) ?? 1
        let held =
            try Double.fetchOne(
                db.cachedStatement(sql: "SELECT pending FROM fair_corrections WHERE tenant = ?"), arguments: [tenant])
            ?? 0
        var owed = held + portraits / weight
        // The tenant's unfinished work: where it ends, and its queued turns at either end (by `vfinish`, the index's
        // order; a tenant's turns follow each other).
        let last = try Double.fetchOne(
            db.cachedStatement(
                sql: "SELECT max(vfinish) FROM jobs WHERE tenant = ? AND state IN ('queued', 'running')"),
            arguments: [tenant])
        if let last {
            if owed > 0, let head = try queuedTurn(of: tenant, first: true, db: db), owed >= head.length {
                try move(head.id, to: last, length: head.length, db: db)
                owed -= head.length
            } else if owed < 0, let tail = try queuedTurn(of: tenant, first: false, db: db), -owed >= tail.length,
                let front = try queuedTurn(of: tenant, first: true, db: db)
            {
                try move(tail.id, to: front.start - tail.length, length: tail.length, db: db)
                owed += tail.length
            }
        } else {
            owed = 0
        }
        try db.execute(
            sql: """
                INSERT INTO fair_corrections (tenant, pending) VALUES (?, ?)
                ON CONFLICT (tenant) DO UPDATE SET pending = excluded.pending
                """,
            arguments: [tenant, owed])
    }

    /// One queued turn of a tenant.
    private struct Turn {
        let id: String
        let start: Double
        let length: Double
    }

    /// The tenant's first (or last) queued turn in fair order.
    private static func queuedTurn(of tenant: String, first: Bool, db: Database) throws -> Turn? {
        let order = first ? "vfinish, id" : "vfinish DESC, id DESC"
        // `state IN (…)` names the partial index's own condition, so SQLite reads it; `state = 'queued'` then
        // filters the few running jobs.
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT id, vstart, vfinish - vstart AS length FROM jobs INDEXED BY jobs_tenant_vfinish
                         WHERE tenant = ? AND state IN ('queued', 'running') AND state = 'queued'
                         ORDER BY \(order)
                         LIMIT 1
                        """),
                arguments: [tenant])
        else { return nil }
        return Turn(id: row["id"], start: row["vstart"], length: row["length"])
    }

    private static func move(_ id: String, to start: Double, length: Double, db: Database) throws {
        try db.execute(
            sql: "UPDATE jobs SET vstart = ?, vfinish = ? WHERE id = ?", arguments: [start, start + length, id])
    }
}
