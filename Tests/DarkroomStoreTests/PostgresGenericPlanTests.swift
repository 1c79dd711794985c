import DarkroomCore
import Foundation
import PostgresNIO
import Testing

@testable import DarkroomStore

/// Prepared statements may run on a plan made without their parameters' values (PostgreSQL's generic plan, used
/// after a few calls): the hot path's plans must read a deep queue through its indexes even then.
@Suite(.timeLimit(.minutes(5))) struct PostgresGenericPlanTests {
    @Test(
        "the claim, the enqueue and the queue position read 20,000 jobs and 1,000 tenants through indexes, without values"
    )
    func plansUseIndexes() async throws {
        let database = TestDatabase.shared
        let schema = try await database.createSchema()
        let (store, running) = try await database.openStore(schema: schema)
        defer { running.cancel() }
        try await store.client.query(
            """
            INSERT INTO jobs (id, tenant, priority, state, request, max_attempts, run_after, progress_steps, created_at)
            SELECT 'job-' || g, 'tenant-' || (g % 100), 5, 'queued', '{}', 3, now(), 8, now() + g * interval '1 ms'
              FROM generate_series(1, 20000) AS g
            """)
        // A thousand tenants, ten of them with a cap on running jobs (the claim reads those).
        try await store.client.query(
            """
            INSERT INTO tenants (name, max_running, created_at)
            SELECT 'tenant-' || g, CASE WHEN g % 100 = 0 THEN 2 END, now() FROM generate_series(0, 999) AS g
            """)
        try await store.client.query("ANALYZE jobs")
        try await store.client.query("ANALYZE tenants")

        let claim = try await genericPlan(
            of: ClaimStatement.turnSQL, types: "timestamptz, float8, text, text, int8, text, float8",
            arguments: "NULL, 30, 'b', NULL, 256, 'w', 60", on: store)
        #expect(claim.contains("jobs_fair_turn") && claim.contains("jobs_tenant_claimable"), "\(claim)")
        #expect(claim.contains("tenants_capped") && !claim.contains("Seq Scan"), "\(claim)")

        // Where a new job enters the fair order: the head of the queue, and where its tenant's work ends.
        let enqueue = try await genericPlan(
            of: EnqueueStatement.sql,
            types:
                "text, text, int8, text, int8, timestamptz, int8, text, text, text, text, text, text, timestamptz, "
                + "float8",
            arguments: "'new', 'default', 5, '{}', 3, NULL, 8, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1", on: store)
        #expect(enqueue.contains("jobs_fair_turn") && enqueue.contains("jobs_tenant_vfinish"), "\(enqueue)")
        #expect(!enqueue.contains("Seq Scan"), "\(enqueue)")

        let position = try await genericPlan(
            of: QueuePositionStatement.sql, types: "int8, text", arguments: "1000, 'job-15000'", on: store)
        #expect(position.contains("jobs_claimable"))
        #expect(!position.contains("Seq Scan"), "\(position)")
        await database.dropSchema(schema)
    }

    /// A burst of jobs on a new database arrives before autovacuum first analyzes `jobs` (up to a minute): without
    /// statistics PostgreSQL guessed one queued job of the tenant, read them all through `jobs_tenant_unfinished`
    /// and sorted them, on every claim (40,000 jobs drained at 741-1,001 jobs/s instead of about 2,200).
    @Test("a claim reads its tenant's queue in index order before the jobs table has ever been analyzed")
    func claimBeforeFirstAnalyze() async throws {
        let database = TestDatabase.shared
        let schema = try await database.createSchema()
        let (store, running) = try await database.openStore(schema: schema)
        defer { running.cancel() }
        try await store.client.query("ALTER TABLE jobs SET (autovacuum_enabled = false)")
        // Without triggers: 40,000 announcements would reach every store listening on this database, which the
        // other suites running beside this one share.
        try await store.client.withConnection { connection in
            try await connection.query("BEGIN", logger: TestDatabase.logger)
            try await connection.query("SET LOCAL session_replication_role = replica", logger: TestDatabase.logger)
            try await connection.query(
                """
                INSERT INTO jobs (id, tenant, priority, state, request, max_attempts, run_after, progress_steps,
                                  created_at, vstart, vfinish)
                SELECT 'job-' || g, 'default', 5, 'queued', '{}', 3, now(), 8, now() + g * interval '1 ms', g, g + 1
                  FROM generate_series(1, 40000) AS g
                """, logger: TestDatabase.logger)
            try await connection.query("COMMIT", logger: TestDatabase.logger)
        }
        for limit in [1, 10] {
            let scans = try await indexScans(ofClaimTaking: limit, on: store)
            #expect(scans["jobs_tenant_claimable", default: 0] >= 1, "limit \(limit): \(scans)")
            #expect(scans["jobs_tenant_unfinished", default: 0] == 0, "limit \(limit): \(scans)")
        }
        // What keeps it so, and keeps the sorts it forbids from making the claim worth compiling (one claim was
        // JIT-compiled for 2.2 s when only the sorts were off) or from making PostgreSQL plan it anew on every call.
        let settings = try await store.client.query(
            """
            SELECT coalesce(array_to_string(proconfig, ','), '') FROM pg_proc
             WHERE proname = \(ClaimStatement.functionName) AND pronamespace = current_schema()::regnamespace
            """)
        var configured: [String] = []
        for try await setting in settings.decode(String.self) { configured.append(setting) }
        #expect(configured == ["enable_sort=off,jit=off,plan_cache_mode=force_generic_plan"])
        await database.dropSchema(schema)
    }

    /// How many times a claim of `limit` jobs scanned each index of `jobs`, in a transaction rolled back after.
    private func indexScans(ofClaimTaking limit: Int, on store: PostgresJobStore) async throws -> [String: Int] {
        try await store.client.withConnection { connection in
            try await connection.query("BEGIN", logger: TestDatabase.logger)
            let claimed = try await connection.query(
                "SELECT count(*) FROM \(unescaped: ClaimStatement.functionName)(NULL, 30, 'b', NULL, 8, 'w', 60, \(limit))",
                logger: TestDatabase.logger)
            for try await count in claimed.decode(Int.self) { #expect(count == limit) }
            let rows = try await connection.query(
                """
                SELECT indexrelid::regclass::text, pg_stat_get_xact_numscans(indexrelid)::int8 FROM pg_index
                 WHERE indrelid = 'jobs'::regclass
                """, logger: TestDatabase.logger)
            var scans: [String: Int] = [:]
            for try await (index, count) in rows.decode((String, Int).self) { scans[index] = count }
            try await connection.query("ROLLBACK", logger: TestDatabase.logger)
            return scans
        }
    }

    /// The plan PostgreSQL runs `sql` with when it plans without the values, as `EXPLAIN` text.
    private func genericPlan(
        of sql: String, types: String, arguments: String, on store: PostgresJobStore
    ) async throws -> String {
        try await store.client.withConnection { connection in
            try await connection.query("SET plan_cache_mode = force_generic_plan", logger: TestDatabase.logger)
            try await connection.query(
                "PREPARE planned (\(unescaped: types)) AS \(unescaped: sql)", logger: TestDatabase.logger)
            // EXPLAIN without ANALYZE: the plan only, nothing claimed.
            let rows = try await connection.query(
                "EXPLAIN EXECUTE planned (\(unescaped: arguments))", logger: TestDatabase.logger)
            var plan: [String] = []
            for try await line in rows.decode(String.self) { plan.append(line) }
            try await connection.query("DEALLOCATE planned", logger: TestDatabase.logger)
            try await connection.query("RESET plan_cache_mode", logger: TestDatabase.logger)
            return plan.joined(separator: "\n")
        }
    }
}
