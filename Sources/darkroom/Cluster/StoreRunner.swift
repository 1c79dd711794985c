import ArgumentParser
import DarkroomStore
import Logging
import Synchronization

/// Runs a process's body while its PostgreSQL store's connection pool runs, after migrating the schema.
///
/// The store starts first and stops last: the body (a ServiceGroup) drains its services, then the pool
/// closes. A database that cannot be reached or migrated ends the process at start with a clear message.
enum StoreRunner {
    /// How long a stopping process waits for the pool to close its connections. PostgresNIO's pool sometimes
    /// never returns from a cancelled `run()` although every connection has closed (seen in about one in five
    /// store burn-downs); the process must end anyway, and everything it did is committed by then.
    static let closeTimeout: Duration = .seconds(10)
    /// How long a starting process waits for a reachable database's first answer. A server that refuses
    /// connections ends the start at once; one that accepts them but is slow (many processes starting together,
    /// a loaded machine) gets this long, not the 5 s budget of a request.
    static let startTimeout: Duration = .seconds(60)

    /// Returns what `body` returns.
    static func run<Result>(
        _ store: PostgresJobStore, logger: Logger, _ body: () async throws -> Result
    ) async throws -> Result {
        // Immediate, so the pool runs before the first query below (else postgres-nio warns it was not).
        let pool = Task.immediate { try await store.run() }
        defer { pool.cancel() }
        do {
            try await store.checkConnection(within: startTimeout)
            try await store.migrate()
        } catch {
            logger.critical("Cannot use the database; check --database-url and that PostgreSQL is running")
            throw ExitCode.failure
        }
        let result: Result
        do {
            result = try await body()
        } catch {
            await close(pool, logger: logger)
            throw error
        }
        await close(pool, logger: logger)
        return result
    }

    /// Cancels the pool and waits (at most ``closeTimeout``) for its connections to close.
    private static func close(_ pool: Task<Void, any Error>, logger: Logger) async {
        pool.cancel()
        if await !finishes(pool, within: closeTimeout) {
            logger.warning("The database connection pool did not close in time; stopping without it")
        }
    }

    /// Whether `task` ends within `limit`; it is not cancelled either way.
    private static func finishes(_ task: Task<Void, any Error>, within limit: Duration) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let waiting = Mutex<CheckedContinuation<Bool, Never>?>(continuation)
            let answer: @Sendable (Bool) -> Void = { ended in waiting.withLock { $0.take() }?.resume(returning: ended) }
            let sleeper = Task {
                try? await Task.sleep(for: limit)
                answer(false)
            }
            Task {
                _ = await task.result
                answer(true)
                sleeper.cancel()
            }
        }
    }
}
