import Testing

@testable import DarkroomBench

@Suite struct DeadlineTests {
    private let clock = ContinuousClock()

    @Test("work that outlasts the deadline is a timeout failure, and is cancelled")
    func timesOut() async {
        await #expect {
            try await BenchRunner.within(clock.now + .milliseconds(20), clock: clock) {
                // Work that never ends by itself: a stream nobody feeds ends only when the task is cancelled.
                let (never, feeder) = AsyncStream<Void>.makeStream()
                for await _ in never {}
                withExtendedLifetime(feeder) {}
                try Task.checkCancellation()
            }
        } throws: { error in
            (error as? TransactionFailure)?.kind == .timeout
        }
    }

    @Test("work that finishes first gives its value; its own failure passes through")
    func finishes() async throws {
        let value = try await BenchRunner.within(clock.now + .seconds(60), clock: clock) { 42 }
        #expect(value == 42)
        await #expect {
            try await BenchRunner.within(clock.now + .seconds(60), clock: clock) {
                throw TransactionFailure.status(429, retryAfter: "5")
            }
        } throws: { error in
            (error as? TransactionFailure)?.kind == .rejected
                && (error as? TransactionFailure)?.detail.contains("Retry-After 5") == true
        }
    }

    @Test("statuses map to rejected for 429 and http_<status> otherwise")
    func statuses() {
        #expect(TransactionFailure.status(429, retryAfter: nil).kind == .rejected)
        #expect(TransactionFailure.status(500, retryAfter: nil).kind == .http(status: 500))
    }
}
