import DarkroomBench
import Testing

@Suite struct LatencyHistogramTests {
    @Test("percentiles of 1…100 ms at microsecond resolution")
    func percentiles() throws {
        var histogram = LatencyHistogram()
        for milliseconds in 1...100 { histogram.record(.milliseconds(milliseconds)) }
        let summary = try #require(histogram.summary)
        #expect(histogram.count == 100)
        #expect(abs(summary.p50 - 0.050) < 0.0001)
        #expect(abs(summary.p95 - 0.095) < 0.0001)
        #expect(abs(summary.p99 - 0.099) < 0.0001)
        #expect(summary.max == 0.1)
        #expect(abs(summary.mean - 0.0505) < 0.0001)
    }

    @Test("microseconds stay apart; percentiles never pass the largest value")
    func resolution() throws {
        var histogram = LatencyHistogram()
        histogram.record(.microseconds(1_234))
        histogram.record(.microseconds(1_236))
        let summary = try #require(histogram.summary)
        #expect(summary.max == 0.001236)
        #expect(summary.p50 == 0.001234)
        #expect(summary.p99 <= summary.max)
    }

    @Test("nothing recorded has no summary; negative records as 0 and past an hour as an hour")
    func edges() throws {
        var histogram = LatencyHistogram()
        #expect(histogram.summary == nil)
        histogram.record(.seconds(-1))
        histogram.record(.seconds(7200))
        let summary = try #require(histogram.summary)
        #expect(summary.p50 == 0)
        #expect(abs(summary.max - 3600) < 3600 * 0.001)
    }
}
