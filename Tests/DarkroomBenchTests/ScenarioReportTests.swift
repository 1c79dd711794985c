import Foundation
import Testing

@testable import DarkroomBench

@Suite struct ScenarioReportTests {
    private let scenario: ScenarioReport

    init() {
        let window = MeasurementWindow(start: .seconds(2), end: .seconds(6))
        var fast = TransactionLog(window: window)
        for index in 0..<8 {
            _ = fast.begin()
            fast.record(transaction(ended: 2.5 + Double(index) * 0.5, latency: 0.4))
        }
        fast.close(at: .seconds(6))
        var slow = TransactionLog(window: window)
        _ = slow.begin()
        slow.record(transaction(ended: 3, latency: 1))
        _ = slow.begin()
        slow.record(transaction(ended: 4, error: .timeout))
        slow.close(at: .seconds(6))
        scenario = ScenarioReport(runs: [
            .init(
                name: "webui",
                report: BenchReport(
                    setup: setup(.a1111), log: slow, elapsed: .seconds(6),
                    limit: ThroughputLimit(perSecond: 5, source: "1 slot ÷ 0.200 s simulated"))),
            .init(
                name: "darkroom-3",
                report: BenchReport(
                    setup: setup(), log: fast, elapsed: .seconds(6),
                    limit: ThroughputLimit(perSecond: 15, source: "3 slots ÷ 0.200 s simulated")),
                littleLatencySeconds: 0.4),
        ])
    }

    @Test("the table puts the published figures above the measured runs")
    func table() {
        #expect(
            scenario.table.plain() == """
                run                               throughput ok/s  mean latency s  Little's law s  p95 s  error rate  limit jobs/s  efficiency  timeouts  429 p99 ms
                seed WebUI (published)                       1.20            8.40                            18.00 %
                seed scaled, 3 nodes (published)             6.80            2.10                             0.50 %
                webui                                        0.25            1.00                   1.00     50.00 %          5.00       0.050         1
                darkroom-3                                   2.00            0.40            0.40   0.40      0.00 %         15.00       0.133         0
                """)
        #expect(scenario.markdown.contains("| webui | 0.25 | 1.00 |  | 1.00 | 50.00 % | 5.00 | 0.050 | 1 |  |"))
        #expect(scenario.text.hasPrefix("darkroom bench: scenario seed, measured on loopback; load: "))
    }

    @Test("JSON: each run is its report object plus its name, next to the published figures")
    func json() throws {
        let object = try JSONSerialization.jsonObject(with: scenario.jsonData()) as? [String: Any]
        #expect(object?["scenario"] as? String == "seed")
        let runs = try #require(object?["runs"] as? [[String: Any]])
        #expect(runs.map { $0["name"] as? String } == ["webui", "darkroom-3"])
        #expect(runs[0]["error_rate"] as? Double == 0.5)
        #expect(runs[0]["protocol"] as? String == "a1111")
        #expect(runs[1]["throughput_per_second"] as? Double == 2)
        #expect(runs[1]["little_latency_seconds"] as? Double == 0.4)
        #expect(runs[0]["little_latency_seconds"] is NSNull)
        let published = try #require(object?["published"] as? [[String: Any]])
        #expect(published.map { $0["throughput_per_second"] as? Double } == [1.2, 6.8])
        #expect(published.map { $0["error_rate"] as? Double } == [0.18, 0.005])
    }
}
