import Foundation
import PostgresNIO

/// Charges a tenant with GPU time its completed job took beyond its predicted cost (or short of it), and moves one
/// of its queued turns once the charge pending reaches a turn's length (docs/tenants.md, "Fair share").
///
/// The charge, in reference portraits divided by the tenant's weight, is added to the tenant's row of
/// `fair_corrections` (locked, so concurrent completions of one tenant add up). Owed at least the length of its
/// first queued turn, that turn moves to the end of the tenant's unfinished work: each later turn of the tenant
/// comes one turn later. Owed less than minus its last turn's length, that one moves before its first. A tenant
/// with no unfinished work keeps nothing. Runs only for a completion with a correction, after it; not prepared.
enum FairCorrectionStatement {
    static func query(tenant: String, portraits: Double) -> PostgresQuery {
        """
        WITH charge AS (
            SELECT held.pending AS held,
                   held.pending + \(portraits) / coalesce((SELECT weight FROM tenants WHERE name = \(tenant)), 1)
                       AS owed
              FROM (SELECT coalesce((SELECT pending FROM fair_corrections WHERE tenant = \(tenant) FOR UPDATE), 0)
                               AS pending) AS held),
        ends AS (
            SELECT max(vfinish) AS last FROM jobs WHERE tenant = \(tenant) AND state IN ('queued', 'running')),
        head AS (
            SELECT id, vstart, vfinish - vstart AS length FROM jobs
             WHERE tenant = \(tenant) AND state = 'queued'
             ORDER BY vfinish, id
             LIMIT 1
             FOR UPDATE SKIP LOCKED),
        tail AS (
            SELECT id, vfinish - vstart AS length FROM jobs
             WHERE tenant = \(tenant) AND state = 'queued'
             ORDER BY vfinish DESC, id DESC
             LIMIT 1
             FOR UPDATE SKIP LOCKED),
        pushed AS (
            UPDATE jobs SET vstart = ends.last, vfinish = ends.last + head.length
              FROM head, ends, charge
             WHERE jobs.id = head.id AND charge.owed > 0 AND charge.owed >= head.length
            RETURNING head.length),
        pulled AS (
            UPDATE jobs SET vstart = head.vstart - tail.length, vfinish = head.vstart
              FROM head, tail, charge
             WHERE jobs.id = tail.id AND charge.owed < 0 AND -charge.owed >= tail.length
            RETURNING tail.length)
        INSERT INTO fair_corrections AS kept (tenant, pending)
        SELECT \(tenant),
               CASE WHEN ends.last IS NULL THEN -charge.held
                    ELSE charge.owed - charge.held - coalesce((SELECT length FROM pushed), 0)
                         + coalesce((SELECT length FROM pulled), 0)
               END
          FROM charge, ends
        ON CONFLICT (tenant) DO UPDATE SET pending = kept.pending + excluded.pending
        """
    }
}
