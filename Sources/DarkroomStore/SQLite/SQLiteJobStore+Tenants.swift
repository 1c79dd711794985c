import DarkroomCore
import Foundation
import GRDB

/// Tenants and API keys in the embedded database.
extension SQLiteJobStore {
    public func createTenant(_ tenant: Tenant) async throws -> Tenant {
        try await update { db in
            let inserted = try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO tenants (name, weight, max_queued, max_running, rate_per_second, burst,
                                         daily_gpu_seconds, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING *
                    """,
                arguments: Self.tenantArguments(tenant) + [tenant.createdAt.timeIntervalSince1970])
            guard let inserted else { throw TenantDirectoryError.tenantExists(tenant.name) }
            return Tenant(sqliteRow: inserted)
        }
    }

    public func updateTenant(_ tenant: Tenant) async throws -> Tenant {
        try await update { db in
            let updated = try Row.fetchOne(
                db,
                sql: """
                    UPDATE tenants SET weight = ?2, max_queued = ?3, max_running = ?4, rate_per_second = ?5,
                                       burst = ?6, daily_gpu_seconds = ?7
                     WHERE name = ?1 RETURNING *
                    """,
                arguments: Self.tenantArguments(tenant))
            guard let updated else { throw TenantDirectoryError.tenantNotFound(tenant.name) }
            return Tenant(sqliteRow: updated)
        }
    }

    public func deleteTenant(named name: String) async throws {
        try await update { db in
            try db.execute(sql: "DELETE FROM tenants WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { throw TenantDirectoryError.tenantNotFound(name) }
        }
    }

    public func tenants() async throws -> [Tenant] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tenants ORDER BY name").map(Tenant.init(sqliteRow:))
        }
    }

    public func tenant(named name: String) async throws -> Tenant? {
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM tenants WHERE name = ?"), arguments: [name])
                .map(Tenant.init(sqliteRow:))
        }
    }

    public func createKey(_ key: APIKey, secretHash: String) async throws -> APIKey {
        try await update { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE name = ?", arguments: [key.tenant]) != nil
            else { throw TenantDirectoryError.tenantNotFound(key.tenant) }
            let inserted = try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO api_keys (id, tenant, label, admin, secret_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING *
                    """,
                arguments: [
                    key.id, key.tenant, key.label, key.isAdmin, secretHash, key.createdAt.timeIntervalSince1970,
                ])
            guard let inserted else { throw TenantDirectoryError.keyExists(key.id) }
            return APIKey(sqliteRow: inserted)
        }
    }

    public func keys(tenant: String?) async throws -> [APIKey] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_keys WHERE ?1 IS NULL OR tenant = ?1 ORDER BY created_at, id",
                arguments: [tenant]
            ).map(APIKey.init(sqliteRow:))
        }
    }

    public func revokeKey(id: String, now: Date?) async throws -> APIKey {
        let now = now.unixSecondsOrNow
        return try await update { db in
            let revoked = try Row.fetchOne(
                db, sql: "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? RETURNING *",
                arguments: [now, id])
            guard let revoked else { throw TenantDirectoryError.keyNotFound(id) }
            return APIKey(sqliteRow: revoked)
        }
    }

    public func credential(keyID: String) async throws -> StoredCredential? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM api_keys WHERE id = ?"), arguments: [keyID])
            else { return nil }
            return StoredCredential(key: APIKey(sqliteRow: row), secretHash: row["secret_hash"])
        }
    }

    public func unfinishedJobs(of tenant: String) async throws -> TenantBacklog {
        try await read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT count(*) FILTER (WHERE state = 'queued') AS queued,
                               count(*) FILTER (WHERE state = 'running') AS running
                          FROM jobs INDEXED BY jobs_tenant_unfinished
                         WHERE tenant = ? AND state IN ('queued', 'running')
                        """),
                arguments: [tenant])
            return TenantBacklog(queued: row?["queued"] ?? 0, running: row?["running"] ?? 0)
        }
    }

    public func gpuSeconds(of tenant: String, since: Date) async throws -> Double {
        try await read { db in
            try Double.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT coalesce(sum(service_seconds), 0) FROM jobs INDEXED BY jobs_tenant_finished
                         WHERE tenant = ? AND finished_at >= ?
                        """),
                arguments: [tenant, since.timeIntervalSince1970]) ?? 0
        }
    }

    public func usage(tenant: String?, from: Date, to: Date) async throws -> [TenantUsageDay] {
        try await read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT tenant, CAST(finished_at / 86400 AS INTEGER) * 86400 AS day,
                               coalesce(sum(service_seconds), 0) AS gpu_seconds,
                               count(*) FILTER (WHERE state = 'succeeded') AS succeeded,
                               count(*) FILTER (WHERE state = 'failed') AS failed,
                               count(*) FILTER (WHERE state = 'canceled') AS canceled,
                               count(*) FILTER (WHERE state = 'expired') AS expired
                          FROM jobs
                         WHERE finished_at >= ? AND finished_at < ? AND (?3 IS NULL OR tenant = ?3)
                         GROUP BY tenant, day
                         ORDER BY day, tenant
                        """),
                arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970, tenant]
            ).map { row in
                TenantUsageDay(
                    tenant: row["tenant"], day: Date(timeIntervalSince1970: row["day"]), gpuSeconds: row["gpu_seconds"],
                    succeeded: row["succeeded"], failed: row["failed"], canceled: row["canceled"],
                    expired: row["expired"])
            }
        }
    }

    /// The name, weight and limits of `tenant`, in the order of the statements above (`?1`…`?7`).
    private static func tenantArguments(_ tenant: Tenant) -> StatementArguments {
        let limits = tenant.limits
        return [
            tenant.name, tenant.weight, limits.maxQueued, limits.maxRunning, limits.ratePerSecond, limits.burst,
            limits.dailyGPUSeconds,
        ]
    }
}

extension Tenant {
    /// Decodes a `tenants` row.
    init(sqliteRow row: Row) {
        self.init(
            name: row["name"], weight: row["weight"],
            limits: TenantLimits(
                maxQueued: row["max_queued"], maxRunning: row["max_running"], ratePerSecond: row["rate_per_second"],
                burst: row["burst"], dailyGPUSeconds: row["daily_gpu_seconds"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}

extension APIKey {
    /// Decodes an `api_keys` row (without its secret's hash).
    init(sqliteRow row: Row) {
        let revokedAt: Double? = row["revoked_at"]
        self.init(
            id: row["id"], tenant: row["tenant"], label: row["label"], isAdmin: row["admin"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            revokedAt: revokedAt.map(Date.init(timeIntervalSince1970:)))
    }
}
