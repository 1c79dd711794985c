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
        try await ScriptedServer.withServer(answers.mapValues { .answer($0) }) { url, client, _ in
            try await body(url, client)
        }
    }
}
