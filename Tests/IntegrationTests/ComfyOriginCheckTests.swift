import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The simulated ComfyUI keeps upstream's CSRF guard, so Darkroom's client is tested against it:
/// on a loopback host, an `Origin` that differs from `Host` is refused; one without a port is compared by name.
@Suite(.timeLimit(.minutes(5)))
struct ComfyOriginCheckTests {
    func status(_ server: ServerProcess, origin: String?) async throws -> Int {
        var request = HTTPClientRequest(url: server.baseURL + "/system_stats")
        if let origin { request.headers.add(name: "Origin", value: origin) }
        let response = try await HTTPClient.forTests.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    @Test("a foreign origin gets 403; no origin, the same origin or an origin without a port pass")
    func originRules() async throws {
        let server = try await ServerProcess.launch(
            ["sim-backend", "--protocol", "comfyui", "--host", "127.0.0.1", "--port", "0"])
        defer { server.stop() }
        let port = try #require(URL(string: server.baseURL)?.port)
        #expect(try await status(server, origin: "http://127.0.0.1:3000") == 403)
        #expect(try await status(server, origin: "http://localhost:\(port)") == 403)
        #expect(try await status(server, origin: nil) == 200)
        #expect(try await status(server, origin: "http://127.0.0.1:\(port)") == 200)
        // What a WebSocket client that leaves the port out of Origin sends (swift-websocket's WSClient does).
        #expect(try await status(server, origin: "ws://127.0.0.1") == 200)
    }
}
