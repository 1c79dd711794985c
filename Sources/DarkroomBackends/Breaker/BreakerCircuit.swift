import DarkroomCore

/// The circuit breaker's state machine, with time passed in: no clock, no locks, easy to test.
///
/// ```
///            maxFails failures within failTimeout
///   closed ─────────────────────────────────────▶ open
///     ▲                                            │ failTimeout passed
///     │ probe healthy          probe unhealthy     ▼
///     └──────────────────── half-open ─────────────┘ (back to open for failTimeout)
/// ```
/// A success while closed forgets earlier failures. In half-open, exactly one caller gets ``Decision/probe``;
/// the others wait for its verdict.
public struct BreakerCircuit<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What a slot may do now.
    public enum Decision: Sendable, Equatable {
        /// Claim and run jobs.
        case proceed
        /// Check the backend's health and report it with ``recordProbe(healthy:now:)``.
        case probe
        /// Stay idle until this instant (or until a probe reports).
        case wait(until: Instant)
    }

    public let policy: BreakerPolicy
    private var recentFailures: [Instant] = []
    private var openUntil: Instant?
    private var probeInFlight = false

    public init(policy: BreakerPolicy) {
        self.policy = policy
    }

    /// The state as of `now`.
    public func state(now: Instant) -> BreakerState {
        guard let openUntil else { return .closed }
        return now < openUntil ? .open : .halfOpen
    }

    /// Decides what a slot may do at `now`; hands out the half-open probe to one caller only.
    public mutating func decide(now: Instant) -> Decision {
        guard let openUntil else { return .proceed }
        if now < openUntil { return .wait(until: openUntil) }
        if probeInFlight { return .wait(until: now.advanced(by: policy.failTimeout)) }
        probeInFlight = true
        return .probe
    }

    /// A job succeeded: earlier failures no longer count.
    public mutating func recordSuccess() {
        recentFailures.removeAll()
    }

    /// The backend failed a job (its fault, not the job's). Returns whether this opened the breaker.
    @discardableResult
    public mutating func recordFailure(now: Instant) -> Bool {
        guard openUntil == nil else { return false }
        let window = policy.failTimeout
        recentFailures.removeAll { $0.advanced(by: window) <= now }
        recentFailures.append(now)
        guard recentFailures.count >= policy.maxFails else { return false }
        open(now: now)
        return true
    }

    /// The half-open probe's verdict: healthy closes the breaker, unhealthy opens it for another `failTimeout`.
    public mutating func recordProbe(healthy: Bool, now: Instant) {
        probeInFlight = false
        if healthy {
            openUntil = nil
            recentFailures.removeAll()
        } else {
            open(now: now)
        }
    }

    private mutating func open(now: Instant) {
        openUntil = now.advanced(by: policy.failTimeout)
        recentFailures.removeAll()
    }
}
