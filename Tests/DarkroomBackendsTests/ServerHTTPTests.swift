import AsyncHTTPClient
import DarkroomWire
import Foundation
import Testing

@testable import DarkroomBackends

/// Each call's deadline covers the headers and the whole body; cancellation stays cancellation.
@Suite(.timeLimit(.minutes(5))) struct ServerHTTPTests {
    static func http(_ url: URL, _ client: HTTPClient) -> ServerHTTP {
        ServerHTTP(client: client, baseURL: url, logger: SimulatorHarness.quietLogger)
    }

    @Test("an answer within the deadline comes back whole")
    func answers() async throws {
        try await ScriptedServer.withServer(["/ok": .answer(.json(#"{"ok": true}"#))]) { url, client, _ in
            let answer = try await Self.http(url, client).get("/ok", timeout: .seconds(60), maxBytes: 1024)
            #expect(answer == HTTPAnswer(status: 200, body: Data(#"{"ok": true}"#.utf8)))
        }
    }

    @Test("a body that stalls after the headers ends a 1 s call with timedOut, not at the read timeout")
    func stalledBody() async throws {
        try await ScriptedServer.withServer(["/stall": .stallBody]) { url, client, _ in
            // The client's read timeout is 10 minutes: within the suite's time limit, only the call's own 1 s
            // deadline can end it, whatever the machine's load.
            _ = await #expect(throws: BackendError.timedOut) {
                _ = try await Self.http(url, client).get("/stall", timeout: .seconds(1), maxBytes: 1024)
            }
        }
    }

    @Test("cancelling a call whose body stalls ends it with CancellationError, not timedOut")
    func cancelledStall() async throws {
        try await ScriptedServer.withServer(["/stall": .stallBody]) { url, client, log in
            let http = Self.http(url, client)
            let task = Task {
                try await http.post("/stall", json: Data("{}".utf8), timeout: .seconds(600), maxBytes: 1024)
            }
            await log.waitFor("/stall")
            task.cancel()
            // Only the cancellation can end it this soon: the call's own deadline is 10 minutes.
            let result = try await SimulatorHarness.withDeadline(.seconds(45)) { await task.result }
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }
}
