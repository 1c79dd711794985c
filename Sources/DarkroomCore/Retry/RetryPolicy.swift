/// When a failed attempt runs again, and after how long.
///
/// Only transient failures are retried. The delay grows exponentially from ``baseDelay`` and carries
/// "equal jitter": half of it is fixed, the other half is random, so retries of many jobs that failed together
/// spread out instead of returning in a wave. Defaults match the seed deployment's Celery settings:
/// base 10 s, at most 3 retries (4 attempts).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    /// No single delay exceeds this.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 4, baseDelay: Duration = .seconds(10), maxDelay: Duration = .seconds(600)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let `default` = RetryPolicy()

    /// The backoff before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
    ///
    /// - Parameter jitter: a number in `0..<1`; the delay is `d/2 + jitter × d/2` with `d = base × 2^(attempt-1)`, capped.
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let base = baseDelay.seconds * pow2(exponent)
        let full = min(base, maxDelay.seconds)
        let jitter = min(max(jitter, 0), 1)
        return .milliseconds(Int64((full / 2 + jitter * full / 2) * 1000))
    }

    /// What to do after attempt `attempt` failed with an error whose retryability is `isRetryable`.
    public func decide(attempt: Int, isRetryable: Bool, jitter: Double) -> RetryDecision {
        guard isRetryable else { return .fail }
        guard attempt < maxAttempts else { return .giveUp }
        return .retry(after: delay(afterAttempt: attempt, jitter: jitter))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(min(exponent, 62)) { value *= 2 }
        return value
    }
}

/// The outcome of ``RetryPolicy/decide(attempt:isRetryable:jitter:)``.
public enum RetryDecision: Sendable, Equatable {
    /// Queue the job again, claimable after the delay.
    case retry(after: Duration)
    /// The failure is permanent: fail the job now.
    case fail
    /// The failure was transient but no attempts are left: fail the job now.
    case giveUp
}
