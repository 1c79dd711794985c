import DarkroomCore
import Synchronization

/// Decides which progress reports of one attempt are written: the first step and then at most one per
/// `interval`, never the last step unless `interval` is zero.
///
/// The last step is followed at once by the completion, which records it (the job's `succeeded` state carries
/// its progress): writing it too cost every job a store write, and in a cluster a notification and a read by
/// every process that follows the job, to show a step for the moment before the answer.
final class ProgressThrottle: Sendable {
    private let interval: Duration
    private let lastWritten = Mutex<ContinuousClock.Instant?>(nil)

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether `progress` should be written now; records the write when it should.
    func admits(_ progress: JobProgress, now: ContinuousClock.Instant = .now) -> Bool {
        lastWritten.withLock { last in
            let due = last.map { now - $0 >= interval } ?? true
            let isLast = progress.step >= progress.steps
            guard due, !isLast || interval == .zero else { return false }
            last = now
            return true
        }
    }
}
