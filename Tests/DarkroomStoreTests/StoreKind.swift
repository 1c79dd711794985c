import DarkroomStore
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Testing

/// Every `JobStore` driver the conformance suite runs against; each must pass the same suite unchanged.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A fresh, migrated store of this kind, in its own temporary file or schema.
    func makeStore() async throws -> StoreFixture {
        switch self {
        case .sqlite: try await Self.makeSQLiteStore()
        case .postgres: try await TestDatabase.shared.makeStore()
        }
    }

    private static func makeSQLiteStore() async throws -> StoreFixture {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-store-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteJobStore(
            path: directory.appendingPathComponent("jobs.sqlite").path, logger: TestDatabase.logger)
        try await store.migrate()
        return StoreFixture(store: store, cleanup: { try? FileManager.default.removeItem(at: directory) })
    }
}

/// The real PostgreSQL the tests use: `DARKROOM_TEST_DATABASE_URL`, by default the loopback server `.ci/run`
/// starts. Each test gets its own schema (through `search_path`), dropped when the test's fixture goes.
/// If the server cannot be reached the tests fail; they never skip.
final class TestDatabase: Sendable {
    static let shared = TestDatabase()
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let defaultURL = "postgres://postgres@127.0.0.1:55432/postgres"
    /// Longer than any test: a pool without a minimum whose last connection closes for idleness while a request
    /// arrives leaves that request waiting for a connection nobody opens (postgres-nio #657), which a test that
    /// pauses more than the production pools' 5 s under load ran into.
    static let idleTimeout: Duration = .seconds(3_600)

    /// The event loops every PostgreSQL connection of these tests runs on. On NIO's shared group they took its two
    /// loops from everything else in the test process: decoding rows there in a debug build, under the whole suite
    /// they ran other tests' timers seconds late, and the in-process simulators' progress polls with them.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    let url: String
    private let admin: PostgresClient

    private init() {
        url = ProcessInfo.processInfo.environment["DARKROOM_TEST_DATABASE_URL"] ?? Self.defaultURL
        var configuration =
            (try? PostgresJobStore.configuration(url: url))
            ?? PostgresClient.Configuration(host: "invalid", username: "x", password: nil, database: nil, tls: .disable)
        configuration.options.maximumConnections = 2
        configuration.options.connectionIdleTimeout = Self.idleTimeout
        admin = PostgresClient(
            configuration: configuration, eventLoopGroup: Self.eventLoops, backgroundLogger: Self.logger)
        let admin = self.admin
        Task.detached { await admin.run() }
    }

    func makeStore() async throws -> StoreFixture {
        let schema = try await createSchema()
        let (store, running) = try await openStore(schema: schema)
        let admin = self.admin
        return StoreFixture(store: store) {
            Task {
                running.cancel()
                _ = try? await admin.query("DROP SCHEMA \(unescaped: schema) CASCADE")
            }
        }
    }

    /// A new empty schema; the caller drops it.
    func createSchema() async throws -> String {
        let schema = "test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        do {
            try await admin.query("CREATE SCHEMA \(unescaped: schema)")
        } catch {
            Issue.record(
                "PostgreSQL at \(url) is unreachable (set DARKROOM_TEST_DATABASE_URL): \(String(reflecting: error))")
            throw error
        }
        return schema
    }

    func dropSchema(_ schema: String) async {
        _ = try? await admin.query("DROP SCHEMA \(unescaped: schema) CASCADE")
    }

    /// A running, migrated store on `schema`; cancel the task to stop it.
    func openStore(schema: String) async throws -> (PostgresJobStore, Task<Void, any Error>) {
        var configuration = try PostgresJobStore.configuration(url: url, searchPath: schema)
        configuration.options.maximumConnections = 4
        configuration.options.connectionIdleTimeout = Self.idleTimeout
        // A hang guard, not a budget: the whole suite shares two loaded cores with other suites' servers, and a
        // migration (a new connection and some thirty statements) took over a minute there once.
        let store = PostgresJobStore(
            configuration: configuration, operationTimeout: .seconds(300), eventLoopGroup: Self.eventLoops,
            logger: Self.logger)
        let running = Task.immediate { try await store.run() }
        try await store.migrate()
        return (store, running)
    }
}
