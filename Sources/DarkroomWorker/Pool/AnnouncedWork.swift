import Synchronization

/// How many jobs the store announced as queued that no slot of this pool has claimed since, or that the pool
/// does not know, and how many claims are on their way: what a slot goes by before it asks the store, after it
/// finished a job, its backend's turns let it claim, or the doorbell woke it.
///
/// Without it, each such slot asked whenever any job had been announced since the last empty claim. With jobs
/// arriving all the time that is every time, while the idle slot the announcement woke had already claimed the
/// job: three empty claims (each a write transaction) for every job in the control-plane benchmark. A slot also
/// leaves an announced job to a claim already on its way, instead of racing it for the one job: two claims for
/// one job, one of them empty. The count is a hint, never a promise, and errs towards asking:
/// - it starts unknown, and becomes unknown when a claim takes more jobs than were announced (jobs queued before
///   the pool started, a retry whose delay ended, or an announcement still on its way);
/// - a claim that finds nothing sets it to zero, however many were announced (another worker took them).
///
/// What no announcement tells (a retry's delay ending, a tenant dropping below its running cap) is found by the
/// poll, as before; a claim that failed leaves its job to the poll or to a slot it wakes.
final class AnnouncedWork: Sendable {
    private struct Count {
        /// `nil`: unknown.
        var unclaimed: Int? = nil
        /// Claims started and not yet answered.
        var claiming = 0
    }
    private let count = Mutex(Count())

    /// Whether a claim may find something that no claim on its way will take: more jobs announced and unclaimed
    /// than claims on their way, or unknown.
    var mayBeWaiting: Bool { count.withLock { count in count.unclaimed.map { $0 > count.claiming } ?? true } }

    /// A job was announced as queued.
    func announced() {
        count.withLock { count in count.unclaimed = count.unclaimed.map { $0 + 1 } }
    }

    /// A slot is about to ask the store for a job; one of ``claimed(_:)``, ``foundNothing()`` or
    /// ``claimFailed()`` follows.
    func claimStarted() {
        count.withLock { $0.claiming += 1 }
    }

    /// A claim took `jobs` jobs (none: see ``foundNothing()``).
    func claimed(_ jobs: Int) {
        count.withLock { count in
            count.claiming = max(0, count.claiming - 1)
            count.unclaimed = count.unclaimed.flatMap { $0 >= jobs ? $0 - jobs : nil }
        }
    }

    /// A claim found nothing to take.
    func foundNothing() {
        count.withLock { count in
            count.claiming = max(0, count.claiming - 1)
            count.unclaimed = 0
        }
    }

    /// A claim got no answer (the store failed): what was announced is still unclaimed.
    func claimFailed() {
        count.withLock { $0.claiming = max(0, $0.claiming - 1) }
    }
}
