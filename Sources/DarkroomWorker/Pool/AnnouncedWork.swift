import Synchronization

/// How many jobs the store announced as queued that no slot of this pool has claimed since, or that the pool
/// does not know: what a slot that just finished a job, or that its backend's turns just let claim, goes by
/// before it asks the store.
///
/// Without it, each such slot asked whenever any job had been announced since the last empty claim. With jobs
/// arriving all the time that is every time, while the idle slot the announcement woke had already claimed the
/// job: three empty claims (each a write transaction) for every job in the control-plane benchmark. The count
/// is a hint, never a promise, and errs towards asking:
/// - it starts unknown, and becomes unknown when a claim takes more jobs than were announced (jobs queued before
///   the pool started, a retry whose delay ended, or an announcement still on its way);
/// - a claim that finds nothing sets it to zero, however many were announced (another worker took them).
///
/// What no announcement tells (a retry's delay ending, a tenant dropping below its running cap) is found by the
/// poll, as before.
final class AnnouncedWork: Sendable {
    /// `nil`: unknown.
    private let unclaimed = Mutex<Int?>(nil)

    /// Whether a claim may find something: jobs announced and unclaimed, or unknown.
    var mayBeWaiting: Bool { unclaimed.withLock { $0 != 0 } }

    /// A job was announced as queued.
    func announced() {
        unclaimed.withLock { count in count = count.map { $0 + 1 } }
    }

    /// A claim took `jobs` jobs (none: see ``foundNothing()``).
    func claimed(_ jobs: Int) {
        unclaimed.withLock { count in count = count.flatMap { $0 >= jobs ? $0 - jobs : nil } }
    }

    /// A claim found nothing to take.
    func foundNothing() {
        unclaimed.withLock { $0 = 0 }
    }
}
