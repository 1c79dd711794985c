import DarkroomCore
import DarkroomStore
import Foundation
import PostgresNIO
import Testing

/// Behaviour specific to the PostgreSQL driver: several processes sharing one database.
///
/// The time limit guards against a hang only: in the full suite under `stress-ng --cpu 2` the change-feed tests
/// took 205-254 s (under a second alone) and once passed 5 minutes.
@Suite(.timeLimit(.minutes(8))) struct PostgresJobStoreTests {
    @Test("a change made by one process reaches another process's change feed")
    func changesCrossProcesses() async throws {
        let database = TestDatabase.shared
        let schema = try await database.createSchema()
        let (gateway, gatewayTask) = try await database.openStore(schema: schema)
        let (worker, workerTask) = try await database.openStore(schema: schema)
        defer {
            gatewayTask.cancel()
            workerTask.cancel()
        }
        var changes = worker.changes().makeAsyncIterator()
        // The other process's listener connects in the background: keep submitting until it hears one.
        let submitting = Task {
            while !Task.isCancelled {
                _ = try await gateway.enqueue(
                    EnqueueParams(id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "p", seed: 1)))
            }
        }
        let heard = try #require(await changes.next())
        submitting.cancel()
        _ = await submitting.result
        #expect(heard.state == .queued)
        #expect(try await gateway.job(id: heard.id)?.request.prompt == "p")

        // Once listening, every later change arrives: a claim made by the gateway process is seen as running.
        let claimed = try await gateway.claim(
            ClaimParams(owner: "w", backend: "b", limit: 1_000, leaseDuration: .seconds(30)))
        let claimedIDs = Set(claimed.map(\.id))
        var running = 0
        while running < claimedIDs.count, let change = await changes.next() {
            if change.state == .running, claimedIDs.contains(change.id) { running += 1 }
        }
        #expect(running == claimedIDs.count)
        await database.dropSchema(schema)
    }

    @Test("another process's changes reach a process that follows only states, cancellation included")
    func statesCrossProcesses() async throws {
        let database = TestDatabase.shared
        let schema = try await database.createSchema()
        let (gateway, gatewayTask) = try await database.openStore(schema: schema)
        let (worker, workerTask) = try await database.openStore(schema: schema)
        defer {
            gatewayTask.cancel()
            workerTask.cancel()
        }
        var states = worker.stateChanges().makeAsyncIterator()
        // The other process's listener connects in the background: keep submitting until it hears one.
        let submitting = Task {
            while !Task.isCancelled {
                _ = try await gateway.enqueue(
                    EnqueueParams(id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "p", seed: 1)))
            }
        }
        let heard = try #require(await states.next())
        submitting.cancel()
        _ = await submitting.result
        #expect(heard.state == .queued)
        #expect(try await gateway.job(id: heard.id)?.state == .queued)

        // A job the worker runs, canceled through the gateway: the worker hears `canceled` for it.
        let running = try #require(
            try await worker.claim(ClaimParams(owner: "w", backend: "b", limit: 1, leaseDuration: .seconds(30))).first)
        _ = try await gateway.cancel(CancelParams(id: running.id))
        var canceled = false
        while !canceled, let change = await states.next() {
            canceled = change == JobStateChange(id: running.id, state: .canceled)
        }
        #expect(canceled)
        await database.dropSchema(schema)
    }

    @Test("several processes migrating at once apply each migration exactly once")
    func concurrentMigrations() async throws {
        let database = TestDatabase.shared
        let schema = try await database.createSchema()
        let stores = try await withThrowingTaskGroup(of: (PostgresJobStore, Task<Void, any Error>).self) { group in
            for _ in 0..<4 { group.addTask { try await database.openStore(schema: schema) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { stores.forEach { $0.1.cancel() } }
        let job = try await stores[0].0.enqueue(
            EnqueueParams(id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "p", seed: 1)))
        #expect(try await stores[3].0.job(id: job.id) == job)
        await database.dropSchema(schema)
    }

    @Test("a database URL is read into connection settings, and a bad one is refused with a reason")
    func urls() throws {
        let configuration = try PostgresJobStore.configuration(url: "postgres://ada:s%40cret@db.internal:6543/queue")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "ada")
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == "queue")
        let defaults = try PostgresJobStore.configuration(url: "postgresql://127.0.0.1")
        #expect(defaults.port == 5432)
        #expect(defaults.username == "postgres")
        // Short-lived pool timers (see `configuration(url:searchPath:)`).
        #expect(defaults.options.maximumConnections == PostgresJobStore.defaultPoolSize)
        #expect(defaults.options.connectionIdleTimeout == PostgresJobStore.idleConnectionTimeout)
        #expect(defaults.options.keepAliveBehavior?.frequency == PostgresJobStore.idleConnectionTimeout)
        let sized = try PostgresJobStore.configuration(url: "postgres://h/db?sslmode=disable&pool_size=3")
        #expect(sized.options.maximumConnections == 3)
        for bad in ["0", "x", "1001"] {
            #expect(throws: PostgresJobStore.URLError.self) {
                try PostgresJobStore.configuration(url: "postgres://h/db?pool_size=\(bad)")
            }
        }
        #expect(throws: PostgresJobStore.URLError.self) { try PostgresJobStore.configuration(url: "mysql://x/y") }
        #expect(throws: PostgresJobStore.URLError.self) {
            try PostgresJobStore.configuration(url: "postgres:///nohost")
        }
    }
}
