import DarkroomCore
import Synchronization

/// One backend's circuit breaker, shared by the backend's slots.
///
/// See ``BreakerCircuit`` for the rules. The worker asks ``decide()`` before each claim, reports every
/// attempt's outcome, and runs the half-open probe (a health check) when told to. Time is read from `now`:
/// the continuous clock in a server, a clock the test moves by hand in a test.
public final class CircuitBreaker: Sendable {
    private let circuit: Mutex<BreakerCircuit<ContinuousClock.Instant>>
    private let now: @Sendable () -> ContinuousClock.Instant

    public init(
        policy: BreakerPolicy = BreakerPolicy(), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.circuit = Mutex(BreakerCircuit(policy: policy))
        self.now = now
    }

    public var policy: BreakerPolicy { circuit.withLock { $0.policy } }

    /// The state now.
    public var state: BreakerState { circuit.withLock { $0.state(now: now()) } }

    /// What a slot may do now.
    public func decide() -> BreakerCircuit<ContinuousClock.Instant>.Decision {
        circuit.withLock { $0.decide(now: now()) }
    }

    public func recordSuccess() {
        circuit.withLock { $0.recordSuccess() }
    }

    /// Returns whether this failure opened the breaker.
    @discardableResult
    public func recordFailure() -> Bool {
        circuit.withLock { $0.recordFailure(now: now()) }
    }

    public func recordProbe(healthy: Bool) {
        circuit.withLock { $0.recordProbe(healthy: healthy, now: now()) }
    }
}
