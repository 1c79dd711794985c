import Foundation
import NIOHTTP1
import Testing

/// Slow clients cannot hold the server: connections that never finish their header are closed at the header
/// timeout, and past the connection limit the probes are still answered.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ConnectionLimitTests {
    @Test("5,000 connections that send half a header are all closed by the server; /healthz answers throughout")
    func stalledHeadersClosed() async throws {
        try StalledConnections.raiseOpenFileLimit(toHold: 5_000)
        let data = try TemporaryDirectory()
        defer { data.remove() }
        let server = try await ServerProcess.start(dataDirectory: data.url, options: ["--header-timeout", "5"])
        defer { server.stop() }
        let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
        let stalled = try await StalledConnections.open(count: 5_000, port: port)
        // A health check each time the server closes some of them (or every 100 ms while it closes none), each
        // on a new connection: a kept-alive one idle past the header timeout is closed by the server (as it
        // should be), and a request sent as it closes would fail for that reason, not for the stalled ones.
        let probe = { try await server.api.request(.GET, "/healthz", headers: [("Connection", "close")]) }
        var healthChecks = 0
        while try await stalled.closedByServer(waitingUpTo: .milliseconds(100)) < stalled.count, healthChecks < 600 {
            #expect(try await probe().status == 200)
            healthChecks += 1
        }
        #expect(try await stalled.closedByServer() == 5_000)
        #expect(try await server.api.get("/v1/queue").status == 200)
    }

    @Test("past --max-connections a new connection gets its probes answered and anything else a 503")
    func probesPastTheLimit() async throws {
        let data = try TemporaryDirectory()
        defer { data.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: data.url, options: ["--max-connections", "8", "--header-timeout", "120"])
        defer { server.stop() }
        let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
        let stalled = try await StalledConnections.open(count: 8, port: port)
        // Each request on a connection of its own, opened after the stalled ones.
        let fresh = { (path: String) in
            try await server.api.request(.GET, path, headers: [("Connection", "close")])
        }
        let refused = try await waitUntil("the server counts the stalled connections") {
            let answer = try await fresh("/v1/queue")
            return answer.status == 503 ? answer : nil
        }
        #expect(try refused.decode(ProblemJSON.self).code == "too_many_connections")
        #expect(refused.retryAfter == "1")
        #expect(try await fresh("/healthz").status == 200)
        #expect(try await fresh("/readyz").status == 200)

        stalled.closeAll()
        _ = try await waitUntil("the server serves again once they close") {
            try await fresh("/v1/queue").status == 200 ? true : nil
        }
    }
}
