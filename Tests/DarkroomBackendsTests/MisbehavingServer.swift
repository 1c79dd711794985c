import AsyncHTTPClient
import Foundation
import Hummingbird

/// An HTTP server that answers the A1111 and ComfyUI routes with broken answers: the servers Darkroom must
/// survive (a proxy's HTML error page, a half-written body, a JPEG where a PNG belongs).
///
/// Every answer is built from `answer(route)`, so one test sets exactly what the server says.
enum MisbehavingServer {
    /// What the server says on a route: status, content type, body.
    struct Answer: Sendable {
        var status: HTTPResponse.Status = .ok
        var contentType = "application/json"
        var body: String

        static func json(_ body: String) -> Answer { Answer(body: body) }
        static let htmlErrorPage = Answer(contentType: "text/html", body: "<html><body>502 Bad Gateway</body></html>")
    }

    /// Runs the server with `answers` (route path → answer; anything else is a 404) around `body`.
    static func withServer<T: Sendable>(
        _ answers: [String: Answer], _ body: (URL, HTTPClient) async throws -> T
    ) async throws -> T {
        let router = Router()
        for (path, answer) in answers {
            for method in [HTTPRequest.Method.get, .post] {
                router.on(RouterPath(path), method: method) { _, _ in
                    Response(
                        status: answer.status, headers: [.contentType: answer.contentType],
                        body: .init(byteBuffer: ByteBuffer(string: answer.body)))
                }
            }
        }
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            }, logger: SimulatorHarness.quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0, let url = URL(string: "http://127.0.0.1:\(port)") else {
                throw SimulatorHarness.NotStarted()
            }
            return try await SimulatorHarness.withClient { try await body(url, $0) }
        }
    }
}
