import Foundation
import Testing

/// PostgreSQL going away and coming back, with a gateway and a worker running: no process restarts.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DatabaseRestartTests {
    @Test("while PostgreSQL is down gateways answer 503 with Retry-After; afterwards everything accepted succeeds")
    func survivesDatabaseRestart() async throws {
        let cluster = try await PrivateCluster(workerOptions: ["--sim-gpus", "1", "--sim-seconds", "0.2"])
        defer { cluster.stop() }
        let postgres = cluster.postgres
        let api = cluster.api
        var accepted = [try await api.submitAccepted(JobRequestBody(prompt: "before"))]

        try await postgres.stop()
        let down = try await api.submit(JobRequestBody(prompt: "while down"))
        #expect(down.status == 503)
        #expect(down.contentType.hasPrefix("application/problem+json"))
        #expect(try down.decode(ProblemJSON.self).code == "store_unavailable")
        #expect(down.retryAfter == "5")

        try await postgres.start()
        let answer = try await waitUntil("the gateway accepts again", timeout: .seconds(60), every: .milliseconds(250))
        {
            let answer = try await api.submit(JobRequestBody(prompt: "after"))
            return answer.status == 202 ? answer : nil
        }
        accepted.append(try answer.decode(JobJSON.self))
        for job in accepted {
            let finished = try await api.waitForTerminal(job.id, timeout: .seconds(60))
            #expect(finished.state == "succeeded")
        }
        #expect(cluster.gateway.child.isRunning)
        #expect(cluster.worker?.child.isRunning == true)
    }
}
