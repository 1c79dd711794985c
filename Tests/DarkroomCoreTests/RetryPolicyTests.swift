import DarkroomCore
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(10), maxDelay: .seconds(600))

    @Test("the default policy allows 4 attempts with a 10 s base delay")
    func defaults() {
        #expect(RetryPolicy.default.maxAttempts == 4)
        #expect(RetryPolicy.default.baseDelay == .seconds(10))
        #expect(RetryPolicy.default.maxDelay == .seconds(600))
        #expect(RetryPolicy.default == RetryPolicy())
    }

    @Test("after the first attempt the delay runs from half the base to the full base")
    func firstDelayBounds() {
        #expect(policy.delay(afterAttempt: 1, jitter: 0) == .seconds(5))
        #expect(policy.delay(afterAttempt: 1, jitter: 0.5) == .milliseconds(7_500))
        #expect(policy.delay(afterAttempt: 1, jitter: 1) == .seconds(10))
    }

    @Test(
        "the delay doubles with each attempt",
        arguments: [(1, 5, 10), (2, 10, 20), (3, 20, 40), (4, 40, 80), (5, 80, 160), (6, 160, 320)]
    )
    func doubling(attempt: Int, lowSeconds: Int64, highSeconds: Int64) {
        #expect(policy.delay(afterAttempt: attempt, jitter: 0) == .seconds(lowSeconds))
        #expect(policy.delay(afterAttempt: attempt, jitter: 1) == .seconds(highSeconds))
    }

    @Test("no delay exceeds maxDelay", arguments: [7, 10, 30, 63, 64, 1_000])
    func capped(attempt: Int) {
        #expect(policy.delay(afterAttempt: attempt, jitter: 1) == .seconds(600))
        #expect(policy.delay(afterAttempt: attempt, jitter: 0) == .seconds(300))
    }

    @Test("jitter outside 0…1 is clamped", arguments: [(-1.0, 0.0), (-0.001, 0.0), (1.5, 1.0), (42, 1.0)])
    func jitterClamped(jitter: Double, clamped: Double) {
        #expect(policy.delay(afterAttempt: 2, jitter: jitter) == policy.delay(afterAttempt: 2, jitter: clamped))
    }

    @Test(
        "any jitter keeps the delay within half to all of the exponential step",
        arguments: [0, 0.1, 0.37, 0.9, 0.999]
    )
    func jitterWithinBounds(jitter: Double) {
        for attempt in 1...8 {
            let delay = policy.delay(afterAttempt: attempt, jitter: jitter)
            #expect(delay >= policy.delay(afterAttempt: attempt, jitter: 0))
            #expect(delay <= policy.delay(afterAttempt: attempt, jitter: 1))
        }
    }

    @Test("a non-retryable failure fails at once, even with attempts left", arguments: [1, 2, 3, 4, 5])
    func nonRetryableFails(attempt: Int) {
        #expect(policy.decide(attempt: attempt, isRetryable: false, jitter: 0.5) == .fail)
    }

    @Test("a retryable failure with attempts left retries after the backoff", arguments: [1, 2, 3])
    func retryableRetries(attempt: Int) {
        let decision = policy.decide(attempt: attempt, isRetryable: true, jitter: 0.25)
        #expect(decision == .retry(after: policy.delay(afterAttempt: attempt, jitter: 0.25)))
    }

    @Test("a retryable failure on the last attempt gives up", arguments: [4, 5])
    func lastAttemptGivesUp(attempt: Int) {
        #expect(policy.decide(attempt: attempt, isRetryable: true, jitter: 0.5) == .giveUp)
    }

    @Test("a single-attempt policy never retries")
    func singleAttempt() {
        let once = RetryPolicy(maxAttempts: 1)
        #expect(once.decide(attempt: 1, isRetryable: true, jitter: 0) == .giveUp)
    }
}
