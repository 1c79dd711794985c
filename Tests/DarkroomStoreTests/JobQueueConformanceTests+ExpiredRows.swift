import DarkroomCore
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import DarkroomStore

/// A queue that expired a great many jobs: the claim reads the same rows as before, because the index it walks
/// holds queued jobs only.
extension JobQueueConformanceTests {
    @Test("claim cost stays flat as expired rows grow from 100,000 to 200,000", arguments: StoreKind.allCases)
    func claimCostWithExpiredRows(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        for offset in 0..<4 { _ = try await fixture.insertJob(createdOffset: 10 + Double(offset)) }
        let before = try await Self.claimCost(fixture)
        // Older than every queued job and of the same priority: at the very head of the queue, were they queued.
        try await Self.insertExpired(100_000, into: fixture, from: 0)
        let deep = try await Self.claimCost(fixture)
        try await Self.insertExpired(100_000, into: fixture, from: 100_000)
        let deeper = try await Self.claimCost(fixture)
        #expect(deeper.claimed == before.claimed + 2, "each measured claim took the oldest queued job")
        // A scan of the expired rows would cost thousands (100,000 rows are 2,000 pages, or 100,000 steps) and
        // double with them. What is read is the queued rows and a few probes by id, whose b-trees deepen by a
        // level; the planner may also pick another index of the same cost as the statistics change.
        let measures =
            "\(kind): \(before.cost) with 4 rows, \(deep.cost) with 100,000 expired, \(deeper.cost) with 200,000"
        #expect(deep.cost < 1_000 && deeper.cost < 1_000, "\(measures)")
        #expect(deeper.cost < 2 * deep.cost, "\(measures)")
        #expect(deep.cost > 0, "the measure counts something")
        #expect(try await fixture.store.list(ListParams(state: .expired, limit: 1)).jobs.count == 1)
    }

    /// Claims one job and returns what that claim cost, in the store's own deterministic unit: SQLite's virtual
    /// machine steps for the claim statement (`sqlite_stmt`), PostgreSQL's buffers touched by its plan
    /// (`EXPLAIN (ANALYZE, BUFFERS)`, in a transaction rolled back, before the real claim); and how many jobs were
    /// claimed so far.
    private static func claimCost(_ fixture: StoreFixture) async throws -> (cost: Int, claimed: Int) {
        let params = ClaimParams(owner: "w", backend: "b", leaseDuration: .seconds(30), now: fixture.at(20))
        if let store = fixture.store as? SQLiteJobStore {
            let stepsBefore = try await claimSteps(store)
            let claimed = try await store.claim(params)
            #expect(claimed.count == 1)
            let steps = try await claimSteps(store) - stepsBefore
            let running = try await store.list(ListParams(state: .running, limit: 100)).jobs.count
            return (steps, running)
        }
        let store = try #require(fixture.store as? PostgresJobStore)
        let buffers = try await claimBuffers(store, now: fixture.at(20))
        #expect(try await store.claim(params).count == 1)
        return (buffers, try await store.list(ListParams(state: .running, limit: 100)).jobs.count)
    }

    /// The virtual machine steps SQLite has run for the claim's statements on the writer connection.
    private static func claimSteps(_ store: SQLiteJobStore) async throws -> Int {
        try await store.update { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT coalesce(sum(nstep), 0) FROM sqlite_stmt
                     WHERE sql LIKE '%INDEXED BY jobs_fair_turn%' OR sql LIKE '%INDEXED BY jobs_tenant_claimable%'
                    """) ?? 0
        }
    }

    /// The buffers (hit and read) the claim's search touches, run and rolled back.
    private static func claimBuffers(_ store: PostgresJobStore, now: Date) async throws -> Int {
        try await store.client.withConnection { connection in
            let logger = TestDatabase.logger
            try await connection.query("BEGIN", logger: logger)
            try await connection.query(
                "PREPARE measured (timestamptz, float8, text, text, int8, text, float8) AS \(unescaped: ClaimStatement.turnSQL)",
                logger: logger)
            let rows = try await connection.query(
                """
                EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
                EXECUTE measured ('\(unescaped: now.ISO8601Format())', 30, 'b', NULL, 256, 'w', 30)
                """, logger: logger)
            var plan = ""
            for try await text in rows.decode(String.self) { plan += text }
            try await connection.query("ROLLBACK", logger: logger)
            try await connection.query("DEALLOCATE measured", logger: logger)
            let root = try #require(
                (try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]])?.first?["Plan"]
                    as? [String: Any])
            // The plans under the UPDATE: finding and locking the rows to claim, which the index decides. The
            // UPDATE's own work (a new version of each claimed row in every index) grows with the indexes' depth,
            // as any write does, and with page splits, which come and go with what else the database has done.
            let reads = (root["Plans"] as? [[String: Any]] ?? []).map { plan in
                (plan["Shared Hit Blocks"] as? Int ?? 0) + (plan["Shared Read Blocks"] as? Int ?? 0)
            }
            return reads.reduce(0, +)
        }
    }

    /// `count` jobs that ended expired, created before any queued job of the fixture, numbered after `first`.
    private static func insertExpired(_ count: Int, into fixture: StoreFixture, from first: Int) async throws {
        let t0 = StoreFixture.t0.timeIntervalSince1970
        if let store = fixture.store as? SQLiteJobStore {
            try await store.update { db in
                try db.execute(
                    sql: """
                        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                        INSERT INTO jobs (id, tenant, priority, state, request, max_attempts, run_after, progress_steps,
                                          created_at, deadline_at, finished_at, error_code, error_message)
                        SELECT 'expired-' || (i + ?), 'default', 5, 'expired', (SELECT request FROM jobs LIMIT 1), 3, ?, 8, ? + i * 0.00001, ? + 1, ? + 2,
                               'deadline_exceeded', 'past its deadline'
                          FROM n
                        """,
                    arguments: [count, first, t0, t0, t0, t0])
            }
            return
        }
        let store = try #require(fixture.store as? PostgresJobStore)
        let start = StoreFixture.t0
        try await store.client.query(
            """
            INSERT INTO jobs (id, tenant, priority, state, request, max_attempts, run_after, progress_steps,
                              created_at, deadline_at, finished_at, error_code, error_message)
            SELECT 'expired-' || (g + \(first)), 'default', 5, 'expired', (SELECT request FROM jobs LIMIT 1), 3, \(start), 8,
                   \(start)::timestamptz + g * interval '10 microseconds', \(start)::timestamptz + interval '1 second',
                   \(start)::timestamptz + interval '2 seconds', 'deadline_exceeded', 'past its deadline'
              FROM generate_series(1, \(count)) AS g
            """)
        try await store.client.query("ANALYZE jobs")
    }
}
