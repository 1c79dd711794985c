import Foundation
import Testing

@testable import DarkroomBench

@Suite struct OverloadTests {
    /// A transaction that started at `started` seconds and took `latency`.
    private func arrival(_ started: Double, latency: Double, error: ErrorKind? = nil) -> TransactionResult {
        transaction(ended: started + latency, latency: latency, error: error)
    }

    @Test("recovery starts at the first second from which every second's arrivals succeed within the bound")
    func recovery() {
        var timeline = Timeline()
        for (started, latency) in [(0.2, 9.0), (1.5, 4.0), (2.1, 1.0), (3.4, 3.0), (4.2, 1.2), (5.9, 0.9)] {
            timeline.add(arrival(started, latency: latency), at: .seconds(started))
        }
        // Seconds 2 and 4–5 are within 1.6 s, but second 3 is not: recovered from second 4.
        #expect(RecoveryTime.seconds(byStart: timeline, within: 1.6) == 4)
        timeline.add(arrival(6.5, latency: 0.2, error: .rejected), at: .seconds(6.5))
        #expect(RecoveryTime.seconds(byStart: timeline, within: 1.6) == nil, "a refusal is not recovered")
        #expect(RecoveryTime.seconds(byStart: Timeline(), within: 1.6) == nil)
    }

    @Test("a counter is read from the exposition text by its exact series, 0 before its first increment")
    func counter() {
        let text = """
            # TYPE darkroom_gpu_seconds_total counter
            darkroom_gpu_seconds_total{outcome="succeeded"} 812.5
            darkroom_gpu_seconds_total{outcome="expired"} 3.25
            """
        #expect(ServerCounter.value(of: #"darkroom_gpu_seconds_total{outcome="expired"}"#, in: text) == 3.25)
        #expect(ServerCounter.value(of: #"darkroom_gpu_seconds_total{outcome="canceled"}"#, in: text) == 0)
    }

    @Test("the ladder climbs 1, 2, 5 and 20 times the limit, then bursts at 10 between two 0.5 steps")
    func ladder() {
        let steps = OverloadStep.ladder(rung: .seconds(120), measureLast: .seconds(60), recovery: .seconds(120))
        #expect(steps.map(\.multiple) == [1, 2, 5, 20, 0.5, 10, 0.5])
        #expect(steps.filter(\.isRung).map(\.name) == ["1×", "2×", "5×", "20×"])
        #expect(steps.map(\.isRecovery) == [false, false, false, false, false, false, true])
        #expect(steps[5].duration == .seconds(60))
    }

    @Test("the table gives each step's goodput, refusals and waste, and the recovery after the burst")
    func table() throws {
        let window = MeasurementWindow(start: .zero, end: .seconds(4))
        var log = TransactionLog(window: window)
        for index in 0..<8 {
            _ = log.begin()
            log.record(transaction(ended: 0.5 + Double(index) * 0.5, latency: 1))
            _ = log.begin()
            log.record(transaction(ended: 0.5 + Double(index) * 0.5, latency: 0.002, error: .rejected))
        }
        log.close(at: .seconds(4))
        let limit = ThroughputLimit(perSecond: 2.5, source: "2 slots ÷ 0.800 s simulated")
        let report = BenchReport(setup: setup(), log: log, elapsed: .seconds(4), limit: limit)
        let step = OverloadStep(
            name: "after burst 0.5×", multiple: 0.5, duration: .seconds(4), measureLast: .seconds(4), isRung: false,
            isRecovery: true)
        let overload = OverloadReport(
            limit: limit, serviceSeconds: 0.8, deadlineSeconds: 60,
            steps: [.init(step: step, arrivalsPerSecond: 1.25, report: report, expiredGPUSeconds: 0, recoverySeconds: 7)])
        let row = try #require(overload.table.plain().split(separator: "\n").last)
        #expect(row.contains("2.00") && row.contains("0.800") && row.contains("50.00 %"))
        #expect(overload.text.contains("back within 2 × the service time (1.60 s) after 7 s; the deadline is 60 s"))
        let json = try #require(try JSONSerialization.jsonObject(with: overload.jsonData()) as? [String: Any])
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.first?["rejected_share"] as? Double == 0.5)
        #expect(steps.first?["recovery_seconds"] as? Int == 7)
    }
}
