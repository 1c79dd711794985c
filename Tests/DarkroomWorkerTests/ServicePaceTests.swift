import Testing

@testable import DarkroomWorker

/// What a backend's pace charges each job against its predicted size.
@Suite struct ServicePaceTests {
    @Test("the first job only sets the pace; jobs at that pace are charged as predicted")
    func steadyPace() {
        var pace = ServicePace()
        #expect(pace.record(seconds: 1.6, portraits: 2) == nil)
        #expect(pace.secondsPerPortrait == 0.8)
        #expect(pace.record(seconds: 0.8, portraits: 1) == nil)
        #expect(pace.record(seconds: 3.2, portraits: 4) == nil)
        // Within 2 % of the pace is a steady GPU's noise.
        #expect(pace.record(seconds: 0.81, portraits: 1) == nil)
    }

    @Test("a job slower or faster than the pace is charged the difference, in reference portraits")
    func differenceCharged() throws {
        var pace = ServicePace(secondsPerPortrait: 1)
        #expect(pace.record(seconds: 1.5, portraits: 1) == 0.5)
        // The pace moved a fifth of the way towards 1.5 s: 1.1 s a portrait.
        let learned = try #require(pace.secondsPerPortrait)
        #expect(abs(learned - 1.1) < 1e-9)
        let faster = pace.record(seconds: 0.55, portraits: 1)
        #expect(abs((faster ?? 0) - -0.5) < 1e-9)
    }

    @Test("a job is charged at most twice and at least half its predicted size")
    func chargeBounded() {
        var pace = ServicePace(secondsPerPortrait: 1)
        #expect(pace.record(seconds: 30, portraits: 1) == 1)
        var other = ServicePace(secondsPerPortrait: 1)
        #expect(other.record(seconds: 0.1, portraits: 2) == -1)
    }

    @Test("a job with no measured time or no size changes nothing")
    func nothingMeasured() {
        var pace = ServicePace(secondsPerPortrait: 1)
        #expect(pace.record(seconds: 0, portraits: 1) == nil)
        #expect(pace.record(seconds: 1, portraits: 0) == nil)
        #expect(pace.secondsPerPortrait == 1)
    }
}
