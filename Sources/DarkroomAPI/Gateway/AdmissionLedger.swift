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

    /// Notes a job admitted now at `priority`.
    func record(priority: Int, at now: ContinuousClock.Instant = .now) {
        admitted.withLock { admitted in
            admitted.removeAll { now - $0.at > Self.memory }
            admitted.append((now, priority))
        }
    }

    /// Jobs admitted after `instant` at `priority` or higher: the ones a claim takes before a job at `priority`.
    func admitted(after instant: ContinuousClock.Instant, atLeast priority: Int) -> Int {
        admitted.withLock { admitted in admitted.count { $0.at > instant && $0.priority >= priority } }
    }
}
