import DarkroomCore
import Foundation
import PostgresNIO

/// Tenants and API keys in the cluster's database.
extension PostgresJobStore {
    public func createTenant(_ tenant: Tenant) async throws -> Tenant {
        let limits = tenant.limits
        let created = try await fetchTenants(
            """
            INSERT INTO tenants (name, weight, max_queued, max_running, rate_per_second, burst, daily_gpu_seconds,
                                 created_at)
            VALUES (\(tenant.name), \(tenant.weight), \(limits.maxQueued), \(limits.maxRunning),
                    \(limits.ratePerSecond), \(limits.burst), \(limits.dailyGPUSeconds), \(tenant.createdAt))
            ON CONFLICT (name) DO NOTHING RETURNING *
            """)
        guard let created = created.first else { throw TenantDirectoryError.tenantExists(tenant.name) }
        return created
    }

    public func updateTenant(_ tenant: Tenant) async throws -> Tenant {
        let limits = tenant.limits
        let updated = try await fetchTenants(
            """
            UPDATE tenants SET weight = \(tenant.weight), max_queued = \(limits.maxQueued),
                               max_running = \(limits.maxRunning), rate_per_second = \(limits.ratePerSecond),
                               burst = \(limits.burst), daily_gpu_seconds = \(limits.dailyGPUSeconds)
             WHERE name = \(tenant.name) RETURNING *
            """)
        guard let updated = updated.first else { throw TenantDirectoryError.tenantNotFound(tenant.name) }
        return updated
    }

    public func deleteTenant(named name: String) async throws {
        let deleted = try await fetchTenants("DELETE FROM tenants WHERE name = \(name) RETURNING *")
        guard !deleted.isEmpty else { throw TenantDirectoryError.tenantNotFound(name) }
    }

    public func tenants() async throws -> [Tenant] {
        try await fetchTenants("SELECT * FROM tenants ORDER BY name")
    }

    public func tenant(named name: String) async throws -> Tenant? {
        try await fetchTenants("SELECT * FROM tenants WHERE name = \(name)").first
    }

    public func createKey(_ key: APIKey, secretHash: String) async throws -> APIKey {
        // One statement: the key is inserted only if its tenant exists, and says which of the two failed.
        let rows = try await fetchCredentials(
            """
            WITH owner AS (SELECT name FROM tenants WHERE name = \(key.tenant))
            INSERT INTO api_keys (id, tenant, label, admin, secret_hash, created_at)
            SELECT \(key.id), name, \(key.label), \(key.isAdmin), \(secretHash), \(key.createdAt) FROM owner
            ON CONFLICT (id) DO NOTHING RETURNING *
            """)
        if let created = rows.first { return created.key }
        guard try await tenant(named: key.tenant) != nil else { throw TenantDirectoryError.tenantNotFound(key.tenant) }
        throw TenantDirectoryError.keyExists(key.id)
    }

    public func keys(tenant: String?) async throws -> [APIKey] {
        try await fetchCredentials(
            """
            SELECT * FROM api_keys WHERE \(tenant)::text IS NULL OR tenant = \(tenant) ORDER BY created_at, id
            """
        ).map(\.key)
    }

    public func revokeKey(id: String, now: Date?) async throws -> APIKey {
        let rows = try await fetchCredentials(
            """
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, \(now)::timestamptz, now())
             WHERE id = \(id) RETURNING *
            """)
        guard let revoked = rows.first else { throw TenantDirectoryError.keyNotFound(id) }
        return revoked.key
    }

    public func credential(keyID: String) async throws -> StoredCredential? {
        try await fetchCredentials("SELECT * FROM api_keys WHERE id = \(keyID)").first
    }

    public func unfinishedJobs(of tenant: String) async throws -> TenantBacklog {
        try await perform { [self] in
            let rows = try await client.query(
                """
                SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'running')
                  FROM jobs WHERE tenant = \(tenant) AND state IN ('queued', 'running')
                """, logger: logger)
            for try await (queued, running) in rows.decode((Int, Int).self) {
                return TenantBacklog(queued: queued, running: running)
            }
            return TenantBacklog(queued: 0, running: 0)
        }
    }

    public func gpuSeconds(of tenant: String, since: Date) async throws -> Double {
        try await perform { [self] in
            let rows = try await client.query(
                """
                SELECT coalesce(sum(service_seconds), 0)::float8 FROM jobs
                 WHERE tenant = \(tenant) AND finished_at >= \(since) AND finished_at IS NOT NULL
                """, logger: logger)
            for try await seconds in rows.decode(Double.self) { return seconds }
            return 0
        }
    }

    public func usage(tenant: String?, from: Date, to: Date) async throws -> [TenantUsageDay] {
        try await perform { [self] in
            let rows = try await client.query(
                """
                SELECT tenant, date_trunc('day', finished_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
                       coalesce(sum(service_seconds), 0)::float8,
                       count(*) FILTER (WHERE state = 'succeeded'), count(*) FILTER (WHERE state = 'failed'),
                       count(*) FILTER (WHERE state = 'canceled'), count(*) FILTER (WHERE state = 'expired')
                  FROM jobs
                 WHERE finished_at >= \(from) AND finished_at < \(to)
                   AND (\(tenant)::text IS NULL OR tenant = \(tenant))
                 GROUP BY 1, 2
                 ORDER BY 2, 1
                """, logger: logger)
            var days: [TenantUsageDay] = []
            for try await (name, day, seconds, succeeded, failed, canceled, expired) in rows.decode(
                (String, Date, Double, Int, Int, Int, Int).self)
            {
                days.append(
                    TenantUsageDay(
                        tenant: name, day: day, gpuSeconds: seconds, succeeded: succeeded, failed: failed,
                        canceled: canceled, expired: expired))
            }
            return days
        }
    }

    private func fetchTenants(_ query: PostgresQuery) async throws -> [Tenant] {
        try await perform { [self] in
            var tenants: [Tenant] = []
            for try await row in try await client.query(query, logger: logger) {
                tenants.append(try Tenant(postgresRow: row))
            }
            return tenants
        }
    }

    private func fetchCredentials(_ query: PostgresQuery) async throws -> [StoredCredential] {
        try await perform { [self] in
            var credentials: [StoredCredential] = []
            for try await row in try await client.query(query, logger: logger) {
                credentials.append(try StoredCredential(postgresRow: row))
            }
            return credentials
        }
    }
}

extension Tenant {
    /// Decodes a `tenants` row.
    init(postgresRow row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(
            name: try row["name"].decode(String.self), weight: try row["weight"].decode(Double.self),
            limits: TenantLimits(
                maxQueued: try row["max_queued"].decode(Int?.self),
                maxRunning: try row["max_running"].decode(Int?.self),
                ratePerSecond: try row["rate_per_second"].decode(Double?.self),
                burst: try row["burst"].decode(Int?.self),
                dailyGPUSeconds: try row["daily_gpu_seconds"].decode(Double?.self)),
            createdAt: try row["created_at"].decode(Date.self))
    }
}

extension StoredCredential {
    /// Decodes an `api_keys` row.
    init(postgresRow row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(
            key: APIKey(
                id: try row["id"].decode(String.self), tenant: try row["tenant"].decode(String.self),
                label: try row["label"].decode(String?.self), isAdmin: try row["admin"].decode(Bool.self),
                createdAt: try row["created_at"].decode(Date.self),
                revokedAt: try row["revoked_at"].decode(Date?.self)),
            secretHash: try row["secret_hash"].decode(String.self))
    }
}
