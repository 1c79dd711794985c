import DarkroomBench
import Foundation
import Testing

@Suite struct BenchReportRenderingTests {
    private let report: BenchReport
    private let a1111Report: BenchReport

    init() {
        let window = MeasurementWindow(start: .seconds(2), end: .seconds(6))
        var log = TransactionLog(window: window)
        let job = JobTiming(queueWait: .milliseconds(200), service: .milliseconds(200), detectionLag: .milliseconds(3))
        for index in 0..<8 {
            _ = log.begin()
            log.record(transaction(ended: 2.5 + Double(index) * 0.5, latency: 0.4, job: job))
        }
        _ = log.begin()
        log.record(transaction(ended: 3, error: .rejected))
        _ = log.begin()
        log.close(at: .seconds(6))
        report = BenchReport(
            setup: setup(), log: log, elapsed: .seconds(6), limit: ThroughputLimit(perSecond: 2.5, source: "--limit"))
        var a1111Log = TransactionLog(window: window)
        _ = a1111Log.begin()
        a1111Log.record(transaction(ended: 3))
        a1111Log.close(at: .seconds(6))
        a1111Report = BenchReport(setup: setup(.a1111), log: a1111Log, elapsed: .seconds(6), limit: nil)
    }

    private func json(_ report: BenchReport) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
    }

    @Test("the JSON has the keys the issue asks for, with the figures of the report")
    func jsonKeys() throws {
        let object = try json(report)
        #expect(object["scenario"] as? String == "custom")
        #expect(object["throughput_per_second"] as? Double == 2)
        #expect(abs((object["error_rate"] as? Double ?? 0) - 1.0 / 9) < 1e-12)
        #expect(object["efficiency"] as? Double == 0.8)
        #expect(object["window_seconds"] as? Double == 4)
        #expect(object["errors_by_kind"] as? [String: Int] == ["rejected": 1])
        let transactions = try #require(object["transactions"] as? [String: Int])
        #expect(transactions == ["ok": 8, "errors": 1, "in_flight": 1])
        let latency = try #require(object["latency_seconds"] as? [String: Double])
        #expect(Set(latency.keys) == ["mean", "p50", "p95", "p99", "max"])
        #expect(abs((latency["p50"] ?? 0) - 0.4) < 0.001)
        let lag = try #require(object["detection_lag_seconds"] as? [String: Double])
        #expect(abs((lag["p99"] ?? 0) - 0.003) < 0.00001)
    }

    @Test("unknown values are JSON null, not missing keys")
    func jsonNulls() throws {
        let object = try json(a1111Report)
        #expect(object["efficiency"] is NSNull)
        #expect(object["detection_lag_seconds"] is NSNull)
        #expect(object["queue_wait_seconds"] is NSNull)
        #expect(object["limit_per_second"] is NSNull)
        #expect(object["latency_seconds"] is [String: Double])
    }

    @Test("the timeline has one entry per second of the run, p95 null where nothing succeeded")
    func jsonTimeline() throws {
        let timeline = try #require(try json(report)["timeline"] as? [[String: Any]])
        #expect(timeline.map { $0["second"] as? Int } == [0, 1, 2, 3, 4, 5, 6])
        #expect(timeline.map { $0["ok"] as? Int } == [0, 0, 1, 2, 2, 2, 1])
        #expect(timeline.map { $0["errors"] as? Int } == [0, 0, 0, 1, 0, 0, 0])
        #expect(timeline[0]["p95_seconds"] is NSNull)
        #expect(abs(try #require(timeline[3]["p95_seconds"] as? Double) - 0.4) < 1e-9)
    }

    @Test("the text table names every figure and the errors by kind")
    func text() {
        let text = report.text
        #expect(text.contains("ok 8, errors 1; in flight at stop 1"))
        #expect(text.contains("2.00 ok/s"))
        #expect(text.contains("rejected"))
        #expect(text.contains("11.11 %"))
        #expect(text.contains("0.800"))
        #expect(text.contains("detection lag"))
        #expect(!text.contains("unknown"))
        #expect(a1111Report.text.contains("efficiency    unknown"))
        #expect(!a1111Report.text.contains("detection lag"))
    }

    @Test("the Markdown has the same rows as tables, numbers right-aligned")
    func markdown() {
        let markdown = report.markdown
        #expect(markdown.contains("| metric | value |\n|---|---|"))
        #expect(markdown.contains("| throughput | 2.00 ok/s |"))
        #expect(
            markdown.contains("| seconds (successes) | mean | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|---:|"))
        #expect(markdown.contains("| latency | 0.400 |"))
    }
}
