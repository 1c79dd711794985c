import DarkroomBench
import Testing

@Suite struct BenchReportTests {
    private let window = MeasurementWindow(start: .seconds(10), end: .seconds(20))

    private func log(_ results: [TransactionResult], inFlight: Int = 0, stop: Duration = .seconds(20)) -> TransactionLog
    {
        var log = TransactionLog(window: window)
        for result in results {
            _ = log.begin()
            log.record(result)
        }
        for _ in 0..<inFlight { _ = log.begin() }
        log.close(at: stop)
        return log
    }

    @Test("throughput is the window's successes over its length; errors and in-flight are apart")
    func counts() {
        let results =
            (0..<40).map { transaction(ended: 10.1 + Double($0) * 0.2) } + [transaction(ended: 5)]
            + [transaction(ended: 15, error: .rejected), transaction(ended: 16, error: .http(status: 503))]
        let report = BenchReport(
            setup: setup(), log: log(results, inFlight: 3), elapsed: .seconds(21),
            limit: ThroughputLimit(perSecond: 5, source: "--limit"))
        #expect(report.ok == 40 && report.errors == 2 && report.inFlight == 3)
        #expect(report.runOK == 41 && report.runErrors == 2)
        #expect(report.throughputPerSecond == 4)
        #expect(report.errorRate == 2.0 / 42)
        #expect(report.errorsByKind == ["rejected": 1, "http_503": 1])
        #expect(report.efficiency == 0.8)
        #expect(report.elapsed == .seconds(20), "the stop, not when the report was made")
    }

    @Test("latency percentiles are over successes only")
    func latencyOverSuccesses() throws {
        let results = [
            transaction(ended: 11, latency: 1), transaction(ended: 12, latency: 2),
            transaction(ended: 13, latency: 9, error: .timeout),
        ]
        let report = BenchReport(setup: setup(), log: log(results), elapsed: .seconds(20), limit: nil)
        let latency = try #require(report.latency)
        #expect(abs(latency.max - 2) < 0.001)
        #expect(latency.p50 <= latency.p99)
        #expect(report.efficiency == nil)
    }

    @Test("job timings give queue wait, service and detection lag; without them those are unknown")
    func jobTimings() throws {
        let job = JobTiming(queueWait: .milliseconds(300), service: .milliseconds(200), detectionLag: .milliseconds(4))
        let darkroom = BenchReport(
            setup: setup(), log: log([transaction(ended: 12, job: job)]), elapsed: .seconds(20), limit: nil)
        #expect(try #require(darkroom.queueWait).p50 == 0.3)
        #expect(try #require(darkroom.service).p50 == 0.2)
        #expect(try #require(darkroom.detectionLag).p99 == 0.004)
        let a1111 = BenchReport(
            setup: setup(.a1111), log: log([transaction(ended: 12)]), elapsed: .seconds(20), limit: nil)
        #expect(a1111.detectionLag == nil && a1111.queueWait == nil && a1111.service == nil)
        #expect(a1111.latency != nil)
    }

    @Test("a run stopped early is measured up to the stop")
    func earlyStop() {
        let results = [transaction(ended: 11), transaction(ended: 14)]
        let report = BenchReport(
            setup: setup(), log: log(results, stop: .seconds(15)), elapsed: .seconds(16), limit: nil)
        #expect(report.window == MeasurementWindow(start: .seconds(10), end: .seconds(15)))
        #expect(report.throughputPerSecond == 0.4)
    }

    @Test("an empty window has no rates to divide by zero")
    func empty() {
        let report = BenchReport(setup: setup(), log: log([]), elapsed: .seconds(20), limit: nil)
        #expect(report.throughputPerSecond == 0 && report.errorRate == 0)
        #expect(report.latency == nil)
    }
}
