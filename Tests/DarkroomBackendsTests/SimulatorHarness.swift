import AsyncHTTPClient
import DarkroomBackends
import DarkroomSimulator
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Runs a simulated A1111 or ComfyUI server in process on 127.0.0.1 with a free port, for end-to-end tests.
///
/// Each server comes with its own HTTP client, shut down before the server stops: an idle pooled connection
/// that never carried a request would hold the server's shutdown (it waits for the connection's first
/// request), and a shared pool could reuse a connection to a port a later test's server has taken.
enum SimulatorHarness {
    struct NotStarted: Error {}
    struct DeadlineExceeded: Error {}

    static let quietLogger = Logger(label: "darkroom.test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts a server, runs `body` with its base URL and a client for it, then stops both.
    @discardableResult
    static func withServer<T: Sendable>(
        _ configuration: SimulatorConfiguration, _ body: (URL, HTTPClient) async throws -> T
    ) async throws -> T {
        try await withApplication(
            { onServerRunning in
                try SimulatedServer(configuration: configuration, logger: quietLogger)
                    .application(host: "127.0.0.1", port: 0, onServerRunning: onServerRunning)
            }, body)
    }

    /// Runs the application `make` builds on 127.0.0.1 with a free port around `body`, which gets its base URL
    /// and a client of its own; `make` must pass `onServerRunning` to the application.
    static func withApplication<App: ApplicationProtocol, T: Sendable>(
        _ make: (@escaping @Sendable (any Channel) async -> Void) throws -> App,
        _ body: (URL, HTTPClient) async throws -> T
    ) async throws -> T {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = try make { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0, let url = URL(string: "http://127.0.0.1:\(port)") else {
                throw NotStarted()
            }
            return try await withClient { try await body(url, $0) }
        }
    }

    /// Runs a plain Hummingbird `router` on 127.0.0.1 with a free port around `body`.
    static func withRouter<T: Sendable>(
        _ router: Router<BasicRequestContext>, _ body: (URL, HTTPClient) async throws -> T
    ) async throws -> T {
        try await withApplication(
            { onServerRunning in
                Application(
                    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: onServerRunning, logger: quietLogger)
            }, body)
    }

    /// Runs `body` with a fresh client for inference servers, shut down afterwards.
    static func withClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .inferenceServers())
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// `body`'s result, or ``DeadlineExceeded`` once `limit` has passed (a bound, not a wait: `body` wins a tie).
    static func withDeadline<T: Sendable>(
        _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() else { throw DeadlineExceeded() }
            return result
        }
    }

    /// The base URL of a server that ran and has stopped: nothing listens there any more.
    static func stoppedServerURL(_ configuration: SimulatorConfiguration) async throws -> URL {
        try await withServer(configuration) { url, _ in url }
    }
}
