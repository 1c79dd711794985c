import DarkroomCore
import Synchronization

/// The attempts this worker is running, so one can be interrupted by job id (cancel) or all at once (drain).
final class RunningJobs: Sendable {
    private let interrupts = Mutex<[JobID: AsyncStream<Interruption>.Continuation]>([:])

    /// Registers an attempt; the stream yields when someone interrupts it.
    func register(_ id: JobID) -> AsyncStream<Interruption> {
        let (stream, continuation) = AsyncStream.makeStream(of: Interruption.self, bufferingPolicy: .bufferingNewest(1))
        interrupts.withLock { $0[id] = continuation }
        return stream
    }

    func unregister(_ id: JobID) {
        interrupts.withLock { $0.removeValue(forKey: id) }?.finish()
    }

    var count: Int { interrupts.withLock { $0.count } }

    func contains(_ id: JobID) -> Bool { interrupts.withLock { $0[id] != nil } }

    func interrupt(_ id: JobID, because reason: Interruption) {
        _ = interrupts.withLock { $0[id] }?.yield(reason)
    }

    func interruptAll(because reason: Interruption) {
        for continuation in interrupts.withLock({ Array($0.values) }) { continuation.yield(reason) }
    }
}
