import DarkroomSimulator
import Foundation
import Hummingbird
import Logging

/// Runs a simulated A1111 or ComfyUI server in process on 127.0.0.1 with a free port, for end-to-end tests.
enum SimulatorHarness {
    struct NotStarted: Error {}

    static let quietLogger = Logger(label: "darkroom.test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts a server, runs `body` with its base URL, then stops the server.
    @discardableResult
    static func withServer<T: Sendable>(
        _ configuration: SimulatorConfiguration, _ body: (URL) async throws -> T
    ) async throws -> T {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = try SimulatedServer(configuration: configuration, logger: quietLogger)
            .application(host: "127.0.0.1", port: 0) { channel in
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
            return try await body(url)
        }
    }

    /// The base URL of a server that ran and has stopped: nothing listens there any more.
    static func stoppedServerURL(_ configuration: SimulatorConfiguration) async throws -> URL {
        try await withServer(configuration) { $0 }
    }
}
