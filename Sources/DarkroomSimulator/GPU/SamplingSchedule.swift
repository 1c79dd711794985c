import DarkroomBackends
import DarkroomCore

/// When each step of one simulated sampling run ends, by ``DarkroomBackends/SimulatedBackend``'s timing model.
///
/// The run takes `secondsPerImage × (width × height / 1024²) × (steps / 8) × batchSize`, spread evenly over
/// the steps. Waits are to absolute deadlines from the start, so per-step overhead does not accumulate.
struct SamplingSchedule: Sendable {
    let steps: Int
    let total: Duration
    let start: ContinuousClock.Instant

    init(secondsPerImage: Double, width: Int, height: Int, steps: Int, batchSize: Int) {
        let timing = SimulatedBackend(id: "simulator", configuration: .init(secondsPerImage: secondsPerImage))
        self.steps = max(1, steps)
        total = timing.serviceTime(
            for: GenerationRequest(
                prompt: "", width: width, height: height, steps: self.steps, seed: 0, batchSize: batchSize)
        )
        start = .now
    }

    /// A run wakes at most this many times to report progress.
    static let maxWakeups = 1000

    /// The steps at which a run wakes to report progress: every step, or for a run of more than
    /// ``maxWakeups`` steps that many evenly spaced ones ending at the last, so a huge step count costs no
    /// more wakeups than a long real run.
    var wakeSteps: some Sequence<Int> {
        let wakeups = min(steps, Self.maxWakeups)
        return (1...wakeups).lazy.map { [steps] wakeup in
            // wakeup × steps / wakeups, exact for any step count (the product may not fit an Int).
            wakeups.dividingFullWidth(wakeup.multipliedFullWidth(by: steps)).quotient
        }
    }

    /// Sleeps until step `step` (1-based) has been computed.
    ///
    /// - Throws: `CancellationError` when the task is cancelled.
    func waitForStep(_ step: Int) async throws {
        let deadline = start.advanced(by: total * (Double(step) / Double(steps)))
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}
