import Testing

@testable import DarkroomBench

@Suite struct TransactionTallyTests {
    @Test("refusals are timed apart from successes; other errors are not timed")
    func refusalsTimed() throws {
        var tally = TransactionTally()
        tally.add(transaction(ended: 10, latency: 2))
        tally.add(transaction(ended: 11, latency: 0.004, error: .rejected))
        tally.add(transaction(ended: 12, latency: 0.006, error: .rejected))
        tally.add(transaction(ended: 13, latency: 60, error: .timeout))
        #expect(tally.latency.count == 1)
        #expect(tally.rejectionLatency.count == 2)
        let refusals = try #require(tally.rejectionLatency.summary)
        #expect(refusals.max < 0.01)
        #expect(tally.errorsByKind == ["rejected": 2, "timeout": 1])
    }

    @Test("a retry is admitted unless refused again, whatever happens to its job after")
    func retriesCounted() {
        var tally = TransactionTally()
        func retry(_ error: ErrorKind?) -> TransactionResult {
            var result = transaction(ended: 5, error: error)
            result.isRetry = true
            return result
        }
        tally.add(retry(nil))
        tally.add(retry(.expired))
        tally.add(retry(.rejected))
        tally.add(transaction(ended: 6, error: .rejected))
        #expect(tally.retries == 3)
        #expect(tally.retriesAdmitted == 2)
    }

    @Test("a 429's Retry-After is read when it is whole non-negative seconds")
    func retryAfterParsed() {
        func seconds(_ header: String?) -> Int? { TransactionFailure.status(429, retryAfter: header).retryAfterSeconds }
        #expect(seconds("12") == 12)
        #expect(seconds("Wed, 21 Oct 2026 07:28:00 GMT") == nil)
        #expect(seconds("-3") == nil)
        #expect(seconds(nil) == nil)
    }
}
