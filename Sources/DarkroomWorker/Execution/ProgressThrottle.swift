import DarkroomCore
import Synchronization

/// Decides which progress reports of one attempt are written: the first, the last, and otherwise at most one
/// per `interval`.
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
            guard due || progress.step >= progress.steps else { return false }
            last = now
            return true
        }
    }
}
