/// When a backend is taken out of service, with nginx's `max_fails` / `fail_timeout` semantics.
public struct BreakerPolicy: Sendable, Equatable {
    /// Failures within ``failTimeout`` that open the breaker (nginx default 1; Darkroom's 3).
    public var maxFails: Int
    /// The window failures are counted in, and how long an open breaker stays open.
    public var failTimeout: Duration

    public init(maxFails: Int = 3, failTimeout: Duration = .seconds(30)) {
        self.maxFails = maxFails
        self.failTimeout = failTimeout
    }
}
