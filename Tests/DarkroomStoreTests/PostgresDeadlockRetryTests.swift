import DarkroomCore
import PostgresNIO
import Synchronization
import Testing

@testable import DarkroomStore

/// A write that PostgreSQL ends as a deadlock's victim runs again (``PostgresJobStore/write(_:)``).
@Suite(.timeLimit(.minutes(5))) struct PostgresDeadlockRetryTests {
    /// How many times the write's body has started.
    final class Attempts: Sendable {
        private let count = Mutex(0)

        var value: Int { count.withLock { $0 } }

        /// Counts one more and returns its number.
        func next() -> Int {
            count.withLock { count in
                count += 1
                return count
            }
        }
    }

    @Test("a write ended by a deadlock runs again and commits once; the other side of the deadlock keeps its work")
    func deadlockVictimRunsAgain() async throws {
        let database = TestDatabase.shared
        let schema = try await database.createSchema()
        let (store, running) = try await database.openStore(schema: schema)
        defer { running.cancel() }
        try await store.client.query("CREATE TABLE pair (id int PRIMARY KEY, n int NOT NULL)")
        try await store.client.query("INSERT INTO pair VALUES (1, 0), (2, 0)")
        let attempts = Attempts()
        let (firstHoldsRow2, signal) = AsyncStream.makeStream(of: Void.self)

        try await store.client.withConnection { other in
            // The other side never looks for deadlocks (its timeout is an hour), so the write is always the victim.
            try await other.query("BEGIN", logger: TestDatabase.logger)
            try await other.query("SET LOCAL deadlock_timeout = '1h'", logger: TestDatabase.logger)
            try await other.query("UPDATE pair SET n = n + 1 WHERE id = 1", logger: TestDatabase.logger)
            let otherProcess = try await Self.backendProcess(other)

            async let written = store.write {
                let attempt = attempts.next()
                try await store.client.withTransaction(logger: TestDatabase.logger) { connection in
                    try await connection.query("SET LOCAL deadlock_timeout = '10ms'", logger: TestDatabase.logger)
                    try await connection.query("UPDATE pair SET n = n + 1 WHERE id = 2", logger: TestDatabase.logger)
                    if attempt == 1 {
                        signal.yield()
                        // Row 1 only once the other side waits for row 2: the cycle is then complete.
                        while try await !Self.waitsForLock(otherProcess, on: connection) {
                            try await Task.sleep(for: .milliseconds(10))
                        }
                    }
                    try await connection.query("UPDATE pair SET n = n + 1 WHERE id = 1", logger: TestDatabase.logger)
                }
                return []
            }
            for await _ in firstHoldsRow2 { break }
            // Waits for row 2 until the write's first attempt is ended; the second waits for this COMMIT.
            try await other.query("UPDATE pair SET n = n + 1 WHERE id = 2", logger: TestDatabase.logger)
            try await other.query("COMMIT", logger: TestDatabase.logger)
            #expect(try await written.isEmpty)
        }

        #expect(attempts.value == 2, "the first attempt was the deadlock's victim, the second committed")
        var counts: [Int] = []
        for try await n in try await store.client.query("SELECT n FROM pair ORDER BY id").decode(Int.self) {
            counts.append(n)
        }
        #expect(counts == [2, 2], "each side's updates counted once")
        await database.dropSchema(schema)
    }

    @Test("only SQLSTATE 40P01 counts as a deadlock, alone or ending a transaction")
    func deadlockIsRecognised() async throws {
        let database = TestDatabase.shared
        let schema = try await database.createSchema()
        let (store, running) = try await database.openStore(schema: schema)
        defer { running.cancel() }
        let divisionByZero = await #expect(throws: PSQLError.self) {
            try await store.client.query("SELECT 1 / 0")
        }
        #expect(divisionByZero.map(PostgresJobStore.isDeadlock) == false)
        let raised = await #expect(throws: PSQLError.self) {
            try await store.client.query(
                "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'deadlock_detected'; END $$")
        }
        #expect(raised.map(PostgresJobStore.isDeadlock) == true)
        await database.dropSchema(schema)
    }

    private static func backendProcess(_ connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("SELECT pg_backend_pid()::int8", logger: TestDatabase.logger)
        var process: Int?
        for try await value in rows.decode(Int.self) { process = value }
        return try #require(process)
    }

    /// Whether the backend `process` waits for a lock.
    private static func waitsForLock(_ process: Int, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT count(*)::int8 FROM pg_locks WHERE pid = \(process) AND NOT granted", logger: TestDatabase.logger)
        for try await count in rows.decode(Int.self) { return count > 0 }
        return false
    }
}
