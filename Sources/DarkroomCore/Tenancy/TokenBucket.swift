/// A token bucket: it holds up to `capacity` tokens and gains `rate` tokens a second; each admitted request takes
/// one. A tenant may burst `capacity` requests after a pause and sustain `rate` a second.
///
/// Times are seconds on any monotonic clock; the bucket never reads a clock itself.
public struct TokenBucket: Sendable, Equatable {
    public let rate: Double
    public let capacity: Double
    public private(set) var tokens: Double
    private var updatedAt: Double

    /// A full bucket at `now`.
    public init(rate: Double, capacity: Double, now: Double) {
        self.rate = rate
        self.capacity = capacity
        tokens = capacity
        updatedAt = now
    }

    /// What a request met.
    public enum Outcome: Sendable, Equatable {
        /// It took a token; `remaining` whole tokens are left.
        case admitted(remaining: Int)
        /// No token was there; one will be in `retryAfterSeconds`.
        case refused(retryAfterSeconds: Double)
    }

    /// Takes a token at `now` if one is there.
    public mutating func take(now: Double) -> Outcome {
        refill(now: now)
        guard tokens >= 1 else { return .refused(retryAfterSeconds: (1 - tokens) / rate) }
        tokens -= 1
        return .admitted(remaining: Int(tokens))
    }

    /// Seconds until the bucket is full again, from `now`.
    public func secondsUntilFull(now: Double) -> Double {
        let current = min(capacity, tokens + max(0, now - updatedAt) * rate)
        return (capacity - current) / rate
    }

    private mutating func refill(now: Double) {
        tokens = min(capacity, tokens + max(0, now - updatedAt) * rate)
        updatedAt = max(updatedAt, now)
    }
}
