/// One finished transaction: when it started and ended, relative to the run's start, and how it ended.
///
/// Latency is `ended − started`: for A1111 the one `txt2img` call; for Darkroom from sending the submit to the
/// client knowing the terminal state (by event or by poll), so it includes the detection lag.
public struct TransactionResult: Sendable, Equatable {
    /// How a transaction ended.
    public enum Outcome: Sendable, Equatable {
        case succeeded
        case failed(ErrorKind)
    }

    public var started: Duration
    public var ended: Duration
    public var outcome: Outcome
    /// The server's own timing of the job (Darkroom successes only).
    public var job: JobTiming?
    /// Whether it repeated a submit refused with 429, after waiting the `Retry-After` it was given
    /// (`--honour-retry-after`).
    public var isRetry: Bool
    /// The `Retry-After` of a 429, in seconds, when it carried a valid one.
    public var retryAfterSeconds: Int?

    public init(
        started: Duration, ended: Duration, outcome: Outcome, job: JobTiming? = nil, isRetry: Bool = false,
        retryAfterSeconds: Int? = nil
    ) {
        self.started = started
        self.ended = ended
        self.outcome = outcome
        self.job = job
        self.isRetry = isRetry
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var latency: Duration { ended - started }

    public var isSuccess: Bool { outcome == .succeeded }

    /// The error kind, for failures.
    public var errorKind: ErrorKind? {
        if case .failed(let kind) = outcome { kind } else { nil }
    }
}
