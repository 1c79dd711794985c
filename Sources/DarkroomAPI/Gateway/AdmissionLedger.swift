import Synchronization

/// The jobs this gateway admitted lately, by priority, so that admission counts the ones its cached queue
/// figures do not show yet: without it, every submit within one cache period (a second) was judged against the
/// same queue and admitted, however many there were.
///
/// Each gateway knows only its own admissions; with several gateways, each may still admit a little too much
/// within a period (the deadline then keeps any late job off the GPUs).
final class AdmissionLedger: Sendable {
    /// How long an admission is remembered: longer than any cache period of the figures.
    static let memory: Duration = .seconds(60)

    private let admitted = Mutex<[(at: ContinuousClock.Instant, priority: Int)]>([])

    init() {}

    /// Counts the jobs admitted after `instant` at `priority` or higher (a claim takes them first), lets `judge`
    /// decide with that count, and notes the job when it is admitted, all under one lock: concurrent submits
    /// cannot all pass on the same count.
    func admit<Verdict>(
        priority: Int, after instant: ContinuousClock.Instant, now: ContinuousClock.Instant = .now,
        _ judge: (_ alsoAhead: Int) -> (verdict: Verdict, admitted: Bool)
    ) -> Verdict {
        admitted.withLock { admitted in
            let ahead = admitted.count { $0.at > instant && $0.priority >= priority }
            let (verdict, isAdmitted) = judge(ahead)
            guard isAdmitted else { return verdict }
            // Oldest first: only the front can have been forgotten.
            let kept = admitted.firstIndex { now - $0.at <= Self.memory } ?? admitted.endIndex
            admitted.removeFirst(kept)
            admitted.append((now, priority))
            return verdict
        }
    }
}
