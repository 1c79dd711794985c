import DarkroomCore
import Synchronization

/// The attempts this worker is running, so one can be interrupted by job id (cancel) or all at once (drain).
///
/// A job can be canceled between its claim's commit and its attempt's registration: the store's announcement of
/// the cancel may be heard before the attempt exists to stop. ``stop(_:because:)`` therefore remembers the
/// latest jobs it found no attempt for, and an attempt registered for one of them is interrupted at once instead
/// of reaching its server. Those jobs have ended for good (canceled or expired), so a remembered one is never
/// wrong, only kept for a while: the last `remembered` to `2 × remembered`.
final class RunningJobs: Sendable {
    private struct State {
        var interrupts: [JobID: AsyncStream<Interruption>.Continuation] = [:]
        /// Jobs stopped while no attempt of theirs was registered, in two generations: `recent` fills up, then
        /// replaces `older`.
        var recent: [JobID: Interruption] = [:]
        var older: [JobID: Interruption] = [:]

        mutating func takeStopped(_ id: JobID) -> Interruption? {
            recent.removeValue(forKey: id) ?? older.removeValue(forKey: id)
        }
    }

    private let state = Mutex(State())
    private let remembered: Int

    init(remembered: Int = 1_024) {
        self.remembered = max(1, remembered)
    }

    /// Registers an attempt; the stream yields when someone interrupts it, at once when the job was stopped
    /// before this.
    func register(_ id: JobID) -> AsyncStream<Interruption> {
        let (stream, continuation) = AsyncStream.makeStream(of: Interruption.self, bufferingPolicy: .bufferingNewest(1))
        let stopped = state.withLock { state in
            state.interrupts[id] = continuation
            return state.takeStopped(id)
        }
        if let stopped { continuation.yield(stopped) }
        return stream
    }

    func unregister(_ id: JobID) {
        state.withLock { $0.interrupts.removeValue(forKey: id) }?.finish()
    }

    var count: Int { state.withLock { $0.interrupts.count } }

    func interrupt(_ id: JobID, because reason: Interruption) {
        _ = state.withLock { $0.interrupts[id] }?.yield(reason)
    }

    /// The job has ended in the store (canceled, expired): interrupts its attempt, or remembers it for an attempt
    /// not registered yet.
    func stop(_ id: JobID, because reason: Interruption) {
        let running = state.withLock { state -> AsyncStream<Interruption>.Continuation? in
            if let continuation = state.interrupts[id] { return continuation }
            if state.recent.count >= remembered {
                state.older = state.recent
                state.recent = [:]
            }
            state.recent[id] = reason
            return nil
        }
        running?.yield(reason)
    }

    func interruptAll(because reason: Interruption) {
        for continuation in state.withLock({ Array($0.interrupts.values) }) { continuation.yield(reason) }
    }
}
