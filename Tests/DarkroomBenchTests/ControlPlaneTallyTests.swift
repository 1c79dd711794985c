import Foundation
import Testing

@testable import DarkroomBench

struct ControlPlaneTallyTests {
    private func result(_ started: Double, _ ended: Double, _ outcome: TransactionResult.Outcome = .succeeded)
        -> TransactionResult
    {
        TransactionResult(
            started: .seconds(started), ended: .seconds(ended), outcome: outcome,
            job: outcome == .succeeded
                ? JobTiming(queueWait: .milliseconds(1), service: .milliseconds(2), detectionLag: .milliseconds(3))
                : nil)
    }

    @Test("warm-up tickets are not counted; the span runs from the first measured start to the last measured end")
    func warmupAndSpan() throws {
        var tally = ControlPlaneTally(warmupJobs: 2)
        tally.record(ticket: 0, result(0, 5))
        tally.record(ticket: 1, result(0.5, 1))
        tally.record(ticket: 3, result(2, 2.5))
        tally.record(ticket: 2, result(1, 1.5))
        tally.record(ticket: 4, result(2.5, 3, .failed(.timeout)))
        #expect(tally.measured == 3)
        #expect(tally.succeeded == 2)
        #expect(tally.errorsByKind == [.timeout: 1])
        #expect(tally.span == .seconds(2))
        #expect(tally.jobsPerSecond == 1)
        let latency = try #require(tally.latency)
        #expect(abs(latency.mean - 0.5) < 0.001)
        #expect(abs((tally.detectionLag?.p50 ?? 0) - 0.003) < 0.0001)
    }

    @Test("nothing measured: no span, no rate, no latency")
    func empty() {
        var tally = ControlPlaneTally(warmupJobs: 5)
        tally.record(ticket: 4, result(0, 1))
        #expect(tally.measured == 0)
        #expect(tally.span == nil)
        #expect(tally.jobsPerSecond == nil)
        #expect(tally.latency == nil)
    }

    @Test("SQLite runs one serve; PostgreSQL a gateway and a worker on the same database and image directory")
    func servers() {
        let directory = URL(fileURLWithPath: "/tmp/x")
        let sqlite = ControlPlaneStore.sqlite.servers(slots: 8, directory: directory)
        #expect(sqlite.map(\.first) == ["serve"])
        #expect(sqlite[0].contains("--sim-gpus") && sqlite[0].contains("8"))
        let url = "postgres://u@h/db"
        let postgres = ControlPlaneStore.postgres(url: url).servers(slots: 8, directory: directory)
        #expect(postgres.map(\.first) == ["gateway", "worker"])
        for command in postgres {
            #expect(command.contains(url))
            #expect(command.contains("/tmp/x/images"))
        }
        for command in sqlite + postgres {
            let level = command.firstIndex(of: "--log-level").map { command[$0 + 1] }
            #expect(level == "notice", "per-job info lines are off: \(command)")
        }
    }

    @Test("the JSON report has a run per store with its figures, and the reference")
    func json() throws {
        var tally = ControlPlaneTally(warmupJobs: 0)
        tally.record(ticket: 0, result(0, 0.5))
        tally.record(ticket: 1, result(0.5, 1, .failed(.http(status: 503))))
        let report = ControlPlaneReport(
            runs: [.init(store: "sqlite", clients: 2, tally: tally)], request: ControlPlaneBench.request.summary)
        let object = try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any]
        #expect(object?["scenario"] as? String == "control-plane")
        let run = try #require((object?["runs"] as? [[String: Any]])?.first)
        #expect(run["store"] as? String == "sqlite")
        #expect(run["jobs"] as? Int == 2)
        #expect(run["succeeded"] as? Int == 1)
        #expect(run["errors_by_kind"] as? [String: Int] == ["http_503": 1])
        #expect(run["jobs_per_second"] as? Double == 1)
        #expect((run["latency_seconds"] as? [String: Double])?["p50"] != nil)
        let reference = try #require((object?["references"] as? [[String: Any]])?.first)
        #expect(reference["jobs_per_second"] as? Double == 474)
        #expect(report.text.contains("sqlite") && report.text.contains("http_503 1"))
    }
}
