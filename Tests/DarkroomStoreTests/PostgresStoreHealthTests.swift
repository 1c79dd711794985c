import DarkroomCore
import Foundation
import PostgresNIO
import Testing

@testable import DarkroomStore

/// Bounded answers during a database outage: a call is answered at its timeout even when its query ignores
/// cancellation, a store known to be down fails at once, the calls in flight when it goes down are answered then,
/// and a probe brings it back without help.
@Suite(.timeLimit(.minutes(5))) struct PostgresStoreHealthTests {
    /// A running store on a fresh schema of the test database.
    private func openStore(timeout: Duration) async throws -> (PostgresJobStore, Task<Void, any Error>, String) {
        let database = TestDatabase.shared
        let schema = try await database.createSchema()
        let configuration = try PostgresJobStore.configuration(url: database.url, searchPath: schema)
        let store = PostgresJobStore(
            configuration: configuration, operationTimeout: timeout, logger: TestDatabase.logger)
        let running = Task.immediate { try await store.run() }
        try await store.migrate()
        return (store, running, schema)
    }

    /// A query that never answers until `release` is called; awaiting it ignores the awaiting task's
    /// cancellation, as a query on a connection that never answers does.
    private struct StuckQuery {
        let task: Task<Void, Never>
        let release: @Sendable () -> Void

        init() {
            let (gate, opener) = AsyncStream.makeStream(of: Void.self)
            task = Task { for await _ in gate {} }
            release = { opener.finish() }
        }

        /// Waits for the query's end, whatever happens to the waiting task.
        func answer() async { await task.value }
    }

    private func detail(of error: any Error) -> String? {
        guard case .unavailable(let detail) = error as? JobStoreError else { return nil }
        return detail
    }

    @Test(
        "a call whose query ignores cancellation is answered at its timeout; the store then fails fast until a probe answers"
    )
    func timeoutThenFailFastThenRecovery() async throws {
        let (store, running, schema) = try await openStore(timeout: .seconds(30))
        let query = StuckQuery()
        defer {
            query.release()
            running.cancel()
        }
        let timedOut = await #expect(throws: JobStoreError.self) {
            try await store.perform(within: .milliseconds(300)) { await query.answer() }
        }
        #expect(timedOut.flatMap(detail)?.contains("no answer from PostgreSQL") == true)
        #expect(store.health.downDetail != nil, "a timeout marks the store down")

        // The database answers all along, so the prober marks the store up again.
        await store.health.waitUntilUp()
        #expect(store.health.downDetail == nil)
        #expect(try await store.job(id: JobID(rawValue: "absent")) == nil)
        await TestDatabase.shared.dropSchema(schema)
    }

    @Test(
        "a server that refuses connections is found out by the first call, long before its timeout; then calls fail at once"
    )
    func failsFastWhileDown() async throws {
        // Port 1 on loopback: nothing listens, so every connection is refused. The pool would keep trying for
        // the whole hour-long timeout; the reachability check answers the call instead.
        let configuration = try PostgresJobStore.configuration(url: "postgres://postgres@127.0.0.1:1/postgres")
        let store = PostgresJobStore(
            configuration: configuration, operationTimeout: .seconds(3600), logger: TestDatabase.logger)
        let running = Task.immediate { try await store.run() }
        defer { running.cancel() }
        let first = await #expect(throws: JobStoreError.self) { try await store.job(id: JobID(rawValue: "a")) }
        #expect(first.flatMap(detail)?.contains("does not accept connections") == true)
        #expect(store.health.downDetail != nil)
        let second = await #expect(throws: JobStoreError.self) { try await store.job(id: JobID(rawValue: "a")) }
        #expect(second.flatMap(detail)?.contains("PostgreSQL is unreachable") == true)
    }

    @Test("a call in flight when the store goes down is answered then, not at its timeout")
    func inFlightCallsAbandoned() async throws {
        let (store, running, schema) = try await openStore(timeout: .seconds(3600))
        let query = StuckQuery()
        defer {
            query.release()
            running.cancel()
        }
        let call = Task { try await store.perform { await query.answer() } }
        // The call is registered before its body runs; mark the store down once it is in flight.
        while store.health.inFlightCount == 0 { await Task.yield() }
        store.health.markDown("a test says so")
        let result = await call.result
        #expect((try? result.get()) == nil)
        #expect(result.failure.flatMap(detail)?.contains("a test says so") == true)
        await TestDatabase.shared.dropSchema(schema)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
