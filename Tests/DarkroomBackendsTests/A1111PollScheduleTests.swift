import Testing

@testable import DarkroomBackends

/// Progress polls land in a request's last step, so the worker can claim the next job in time (issue 14).
@Suite struct A1111PollScheduleTests {
    let schedule = A1111PollSchedule(interval: .milliseconds(500), expectedSeconds: 1.6)

    @Test("the first poll comes at three quarters of the expected time, or after the interval when unknown")
    func firstPoll() {
        #expect(schedule.firstDelay == .milliseconds(500), "1.2 s is capped at the interval")
        #expect(A1111PollSchedule(interval: .seconds(2), expectedSeconds: 1.6).firstDelay == .milliseconds(1200))
        #expect(A1111PollSchedule(interval: .seconds(2), expectedSeconds: nil).firstDelay == .seconds(2))
    }

    @Test("after step s of n, the next poll comes just after step n − 1 at the pace seen")
    func landsInTheLastStep() {
        // 6 of 8 steps in 0.375 s: 62.5 ms a step, step 7 done at 0.4375 s; the poll comes a little after it.
        let delay = schedule.delay(afterStep: 6, of: 8, elapsed: 0.375)
        #expect(delay > .milliseconds(62))
        #expect(delay < .milliseconds(80))
        #expect(delay < .milliseconds(62) + .milliseconds(62), "still inside the last step")
    }

    @Test("at the last step, before the first step, or with nonsense, polls keep the interval; never sooner than 20 ms")
    func edges() {
        #expect(schedule.delay(afterStep: 7, of: 8, elapsed: 1) == .milliseconds(500))
        #expect(schedule.delay(afterStep: 0, of: 8, elapsed: 1) == .milliseconds(500))
        #expect(schedule.delay(afterStep: 3, of: 8, elapsed: 0) == .milliseconds(500))
        #expect(schedule.delay(afterStep: 799, of: 801, elapsed: 0.001) == .milliseconds(20))
        #expect(A1111PollSchedule(interval: .seconds(1), expectedSeconds: .infinity).firstDelay == .seconds(1))
    }
}
