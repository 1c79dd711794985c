import Testing

@testable import DarkroomAPI

/// Events per second over a sliding window of one-second buckets.
@Suite struct RecentRateTests {
    @Test("events count for the window and then drop out")
    func slidingWindow() {
        let rate = RecentRate(window: .seconds(10))
        let start = ContinuousClock.now
        for _ in 0..<20 { rate.record(at: start) }
        for _ in 0..<10 { rate.record(at: start + .seconds(5)) }
        #expect(rate.perSecond(at: start + .seconds(5)) == 3)
        // Ten seconds on, the first second's events have left the window; the later ones have not.
        #expect(rate.perSecond(at: start + .seconds(11)) == 1)
        #expect(rate.perSecond(at: start + .seconds(16)) == 0)
        // A long quiet spell empties every bucket.
        rate.record(at: start + .seconds(100))
        #expect(rate.perSecond(at: start + .seconds(100)) == 0.1)
    }
}
