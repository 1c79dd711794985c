import DarkroomBench
import Testing

@Suite struct TimelineTests {
    @Test("a transaction falls in the second it ended in: [n, n + 1), so a whole second starts the next bucket")
    func bucketBoundaries() {
        let timeline = Timeline([
            transaction(ended: 0), transaction(ended: 0.999), transaction(ended: 1),
            transaction(ended: 1.5, error: .timeout), transaction(ended: 3),
        ])
        #expect(timeline.buckets.map(\.second) == [0, 1, 2, 3])
        #expect(timeline.buckets.map(\.ok) == [2, 1, 0, 1])
        #expect(timeline.buckets.map(\.errors) == [0, 1, 0, 0])
    }

    @Test("p95 is the nearest rank over the bucket's successes, whatever order they arrive in")
    func p95OfKnownSet() {
        let latencies = (1...20).map(Double.init).shuffled()
        var results = latencies.map { transaction(ended: 5.5, latency: $0) }
        results.append(transaction(ended: 5.5, latency: 100, error: .timeout))
        let bucket = Timeline(results).buckets[5]
        #expect(bucket.p95 == 19)
        #expect(bucket.latencies == (1...20).map(Double.init))
        #expect(Timeline([transaction(ended: 0.5, latency: 0.25)]).buckets[0].p95 == 0.25)
    }

    @Test("a second without successes has no p95; padding adds the empty whole seconds before the stop")
    func emptyBuckets() {
        let timeline = Timeline([transaction(ended: 2.5, error: .rejected)]).padded(through: .milliseconds(5_200))
        #expect(timeline.buckets.count == 5)
        #expect(timeline.buckets.allSatisfy { $0.p95 == nil })
        #expect(timeline.buckets.map(\.ok) == [0, 0, 0, 0, 0])
        #expect(Timeline().padded(through: .zero).buckets.isEmpty)
        #expect(timeline.padded(through: .seconds(2)) == timeline, "padding never drops seconds")
    }

    @Test("the log's timeline counts everything it records, and nothing after the stop")
    func logTimeline() {
        var log = TransactionLog(window: MeasurementWindow(start: .seconds(1), end: .seconds(3)))
        _ = log.begin()
        log.record(transaction(ended: 0.5))
        log.close(at: .seconds(3))
        log.record(transaction(ended: 3.5))
        #expect(log.timeline.buckets.map(\.ok) == [1])
        let report = BenchReport(setup: setup(), log: log, elapsed: .seconds(4), limit: nil)
        #expect(report.timeline.buckets.map(\.ok) == [1, 0, 0])
    }
}
