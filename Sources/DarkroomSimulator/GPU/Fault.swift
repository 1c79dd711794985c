/// A failure the simulated GPU injects part way through a run.
enum Fault: Sendable, Equatable {
    /// The GPU ran out of memory (CUDA OOM).
    case outOfMemory
    /// Any other runtime error.
    case failure

    /// Draws the fault for one run: OOM with probability `oomRate`, otherwise a failure with `failureRate`.
    static func roll(oomRate: Double, failureRate: Double) -> Fault? {
        if oomRate > 0, Double.random(in: 0..<1) < oomRate { return .outOfMemory }
        if failureRate > 0, Double.random(in: 0..<1) < failureRate { return .failure }
        return nil
    }

    /// The step at which a rolled fault strikes: half way, as ``DarkroomBackends/SimulatedBackend`` does.
    static func step(of steps: Int) -> Int { max(1, steps / 2) }
}
