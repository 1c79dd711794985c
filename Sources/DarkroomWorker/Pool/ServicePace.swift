/// How many GPU seconds one backend takes for a reference portrait (1024×1024, 8 steps), learned from the jobs it
/// serves; it measures each job's GPU time against the job's predicted size, for the fair share's correction
/// (docs/tenants.md, "Fair share").
///
/// A job's measured size is its service time at the pace before it; the pace then moves a fifth of the way towards
/// the job's own. A job is charged at least half and at most twice its predicted size (a model load or a stall
/// does not cost a tenant more than one turn), and within 2 % of it (the noise of a steady GPU) it is charged
/// exactly its prediction.
struct ServicePace: Sendable {
    /// The learned seconds per reference portrait; `nil` before the first job.
    private(set) var secondsPerPortrait: Double?

    init(secondsPerPortrait: Double? = nil) {
        self.secondsPerPortrait = secondsPerPortrait
    }

    /// Records a served job of `portraits` predicted size that took `seconds`, and returns how many reference
    /// portraits more (negative: fewer) it took than predicted; `nil` for the first job, and for one charged as
    /// predicted.
    mutating func record(seconds: Double, portraits: Double) -> Double? {
        guard seconds > 0, portraits > 0, seconds.isFinite, portraits.isFinite else { return nil }
        let own = seconds / portraits
        guard let pace = secondsPerPortrait else {
            secondsPerPortrait = own
            return nil
        }
        secondsPerPortrait = pace + (own - pace) / 5
        let measured = min(max(seconds / pace, portraits / 2), portraits * 2)
        let correction = measured - portraits
        return abs(correction) < portraits * 0.02 ? nil : correction
    }
}
