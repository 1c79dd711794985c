import DarkroomBackends
import DarkroomCore
import Testing

/// The breaker's rules with time passed in: nginx's max_fails=3 within fail_timeout=30 s.
@Suite struct BreakerCircuitTests {
    typealias Circuit = BreakerCircuit<ContinuousClock.Instant>
    let start = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { start.advanced(by: .milliseconds(Int64(seconds * 1000))) }

    @Test("max_fails failures within fail_timeout open the breaker for fail_timeout")
    func opensAfterMaxFails() {
        var circuit = Circuit(policy: BreakerPolicy(maxFails: 3, failTimeout: .seconds(30)))
        #expect(circuit.recordFailure(now: at(0)) == false)
        #expect(circuit.recordFailure(now: at(10)) == false)
        #expect(circuit.state(now: at(10)) == .closed)
        #expect(circuit.decide(now: at(10)) == .proceed)
        #expect(circuit.recordFailure(now: at(20)) == true)
        #expect(circuit.state(now: at(20)) == .open)
        #expect(circuit.decide(now: at(21)) == .wait(until: at(50)))
        #expect(circuit.state(now: at(49.9)) == .open)
        #expect(circuit.state(now: at(50)) == .halfOpen)
    }

    @Test("failures further apart than fail_timeout never add up")
    func windowSlides() {
        var circuit = Circuit(policy: BreakerPolicy(maxFails: 3, failTimeout: .seconds(30)))
        circuit.recordFailure(now: at(0))
        circuit.recordFailure(now: at(20))
        #expect(circuit.recordFailure(now: at(31)) == false, "the failure at 0 s left the window at 30 s")
        #expect(circuit.recordFailure(now: at(45)) == true)
    }

    @Test("a success forgets earlier failures")
    func successResets() {
        var circuit = Circuit(policy: BreakerPolicy(maxFails: 2, failTimeout: .seconds(30)))
        circuit.recordFailure(now: at(0))
        circuit.recordSuccess()
        #expect(circuit.recordFailure(now: at(1)) == false)
        #expect(circuit.state(now: at(1)) == .closed)
    }

    @Test("half-open hands the probe to one caller; a healthy probe closes the breaker")
    func healthyProbeCloses() {
        var circuit = Circuit(policy: BreakerPolicy(maxFails: 1, failTimeout: .seconds(30)))
        circuit.recordFailure(now: at(0))
        #expect(circuit.decide(now: at(30)) == .probe)
        #expect(circuit.decide(now: at(30.1)) == .wait(until: at(60.1)), "only one probe at a time")
        circuit.recordProbe(healthy: true, now: at(31))
        #expect(circuit.state(now: at(31)) == .closed)
        #expect(circuit.decide(now: at(31)) == .proceed)
        #expect(circuit.recordFailure(now: at(32)) == true, "closed again: counting starts afresh")
    }

    @Test("an unhealthy probe opens the breaker for another fail_timeout")
    func unhealthyProbeReopens() {
        var circuit = Circuit(policy: BreakerPolicy(maxFails: 1, failTimeout: .seconds(30)))
        circuit.recordFailure(now: at(0))
        #expect(circuit.decide(now: at(30)) == .probe)
        circuit.recordProbe(healthy: false, now: at(31))
        #expect(circuit.state(now: at(31)) == .open)
        #expect(circuit.decide(now: at(40)) == .wait(until: at(61)))
        #expect(circuit.decide(now: at(61)) == .probe)
    }

    @Test("failures reported while open (jobs that were already running) do not extend it")
    func failuresWhileOpenIgnored() {
        var circuit = Circuit(policy: BreakerPolicy(maxFails: 1, failTimeout: .seconds(30)))
        circuit.recordFailure(now: at(0))
        #expect(circuit.recordFailure(now: at(20)) == false)
        #expect(circuit.state(now: at(30)) == .halfOpen)
    }

    @Test("the gauge values are 0 closed, 1 half-open, 2 open")
    func gaugeValues() {
        #expect(BreakerState.allCases.map(\.gaugeValue) == [0, 2, 1])
    }
}
