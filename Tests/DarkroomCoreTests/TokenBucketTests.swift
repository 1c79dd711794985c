import DarkroomCore
import Testing

@Suite struct TokenBucketTests {
    @Test("a full bucket admits its burst at once, then one request per 1/rate seconds")
    func burstThenRate() {
        var bucket = TokenBucket(rate: 2, capacity: 3, now: 0)
        #expect(bucket.take(now: 0) == .admitted(remaining: 2))
        #expect(bucket.take(now: 0) == .admitted(remaining: 1))
        #expect(bucket.take(now: 0) == .admitted(remaining: 0))
        #expect(bucket.take(now: 0) == .refused(retryAfterSeconds: 0.5))
        #expect(bucket.take(now: 0.25) == .refused(retryAfterSeconds: 0.25))
        #expect(bucket.take(now: 0.5) == .admitted(remaining: 0))
        // The bucket's own clock, not the machine's: once it says the bucket is full, the whole burst is back.
        let full = 0.5 + bucket.secondsUntilFull(now: 0.5)
        #expect(bucket.take(now: full) == .admitted(remaining: 2))
        #expect(bucket.take(now: full) == .admitted(remaining: 1))
        #expect(bucket.take(now: full) == .admitted(remaining: 0))
        #expect(bucket.take(now: full) == .refused(retryAfterSeconds: 0.5))
    }

    @Test("a pause refills the bucket up to its capacity, never past it")
    func refillIsCapped() {
        var bucket = TokenBucket(rate: 1, capacity: 2, now: 0)
        _ = bucket.take(now: 0)
        _ = bucket.take(now: 0)
        #expect(bucket.take(now: 100) == .admitted(remaining: 1))
        #expect(bucket.take(now: 100) == .admitted(remaining: 0))
        #expect(bucket.take(now: 100) == .refused(retryAfterSeconds: 1))
    }

    @Test("a clock that steps back takes no tokens and gives none")
    func clockStepsBack() {
        var bucket = TokenBucket(rate: 1, capacity: 1, now: 10)
        #expect(bucket.take(now: 10) == .admitted(remaining: 0))
        #expect(bucket.take(now: 5) == .refused(retryAfterSeconds: 1))
        #expect(bucket.take(now: 11) == .admitted(remaining: 0))
    }
}
