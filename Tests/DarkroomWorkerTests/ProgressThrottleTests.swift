import DarkroomCore
import Testing

@testable import DarkroomWorker

@Suite struct ProgressThrottleTests {
    @Test("the first step is written, then at most one per interval, and never the last: the completion records it")
    func throttles() {
        let throttle = ProgressThrottle(interval: .milliseconds(250))
        let start = ContinuousClock.now
        let at = { (milliseconds: Int) in start.advanced(by: .milliseconds(milliseconds)) }
        #expect(throttle.admits(JobProgress(step: 1, steps: 8), now: at(0)))
        #expect(!throttle.admits(JobProgress(step: 2, steps: 8), now: at(60)))
        #expect(!throttle.admits(JobProgress(step: 3, steps: 8), now: at(120)))
        #expect(throttle.admits(JobProgress(step: 5, steps: 8), now: at(260)))
        #expect(!throttle.admits(JobProgress(step: 6, steps: 8), now: at(300)))
        #expect(!throttle.admits(JobProgress(step: 7, steps: 8), now: at(320)))
        #expect(!throttle.admits(JobProgress(step: 8, steps: 8), now: at(900)))
    }

    @Test("a job of one step writes no progress: its completion follows at once")
    func oneStep() {
        let throttle = ProgressThrottle(interval: .milliseconds(250))
        #expect(!throttle.admits(JobProgress(step: 1, steps: 1)))
    }

    @Test("with a zero interval every step is written")
    func zeroInterval() {
        let throttle = ProgressThrottle(interval: .zero)
        let now = ContinuousClock.now
        #expect((1...8).allSatisfy { throttle.admits(JobProgress(step: $0, steps: 8), now: now) })
    }
}
