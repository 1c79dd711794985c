import DarkroomCore

/// Turns a server's own progress counter into the job's steps: scaled to `request.steps`, never going back.
///
/// Servers count differently (A1111 `sampling_step` of `sampling_steps`, ComfyUI `value` of `max` per node,
/// hires passes, a VAE decode reporting 1 of 1), so the fraction is scaled to the job's planned steps and only an
/// increase is reported. The worker records the final step itself when the images arrive.
struct StepProgress: Sendable, Equatable {
    let steps: Int
    private(set) var lastStep = 0

    init(steps: Int) {
        self.steps = steps
    }

    /// The progress to report for `value` of `total`, or `nil` when it would not be an increase.
    mutating func advance(value: Double, total: Double) -> JobProgress? {
        guard total > 0, value.isFinite, total.isFinite, steps > 0 else { return nil }
        let fraction = min(max(value / total, 0), 1)
        let step = Int((fraction * Double(steps)).rounded(.down))
        guard step > lastStep else { return nil }
        lastStep = step
        return JobProgress(step: step, steps: steps)
    }
}
