import Synchronization

/// Wakes idle slots when work may have arrived.
///
/// A waiter passes the ``generation`` it saw before it last looked for work; if the bell rang since,
/// ``wait(after:isIdle:)`` returns at once, so a ring between "found nothing" and "wait" is never lost.
///
/// ``ring()`` wakes every waiter; ``ringOnce()`` (one job became claimable) wakes one idle waiter, a slot that
/// found the queue empty and can claim at once, and only when there is none every waiter. Waking every idle slot
/// for each new job made one claim in the store per idle slot, all but one of them empty (2.3 claims per job in
/// the control-plane benchmark). The waiters it leaves asleep have nothing to claim: that one job is the idle
/// waiter's, or a slot that just finished a job takes it first.
///
/// A ``ringOnce()`` that no idle waiter heard is kept for the next idle waiter, which then returns at once. So a
/// slot whose claim found nothing can wait from the bell's generation after that claim, not before it: with jobs
/// announced every few milliseconds, waiting from before the claim sent it straight back to the store for a job
/// that the waiter woken for it had already taken, again and again.
final class Doorbell: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Void, Never>
        var isIdle: Bool
    }

    private struct State {
        var generation: UInt64 = 0
        /// By arrival: the dictionary's keys rise with each wait.
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
        /// A ``ringOnce()`` came when no idle waiter was there to hear it.
        var unheard = false

        /// Removes and returns the idle waiter that has waited longest (the lowest key), if any.
        mutating func takeLongestIdle() -> Waiter? {
            var longest: Int?
            for (key, waiter) in waiters where waiter.isIdle && key < (longest ?? .max) { longest = key }
            return longest.flatMap { waiters.removeValue(forKey: $0) }
        }
    }

    private let state = Mutex(State())

    var generation: UInt64 { state.withLock { $0.generation } }

    /// Waiters asleep now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Wakes every waiter.
    func ring() {
        let waiters = state.withLock { state in
            state.generation += 1
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.continuation.resume() }
    }

    /// Wakes the idle waiter that has waited longest, or every waiter when none is idle.
    func ringOnce() {
        let woken = state.withLock { state in
            state.generation += 1
            guard let idle = state.takeLongestIdle() else {
                state.unheard = true
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            return [idle]
        }
        for waiter in woken { waiter.continuation.resume() }
    }

    /// Wakes the idle waiter that has waited longest, if there is one, and no one else: a slot woken for a job
    /// that its backend's turns do not let it claim hands the job on this way.
    func passOn() {
        state.withLock { $0.takeLongestIdle() }?.continuation.resume()
    }

    /// Returns once the bell rings after `generation` and wakes this waiter, or when the task is cancelled; an idle
    /// waiter returns at once for a ``ringOnce()`` that no idle waiter heard.
    ///
    /// - Parameter isIdle: whether the waiter found the queue empty and can claim as soon as it wakes.
    func wait(after generation: UInt64, isIdle: Bool = false) async {
        let key = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.generation != generation || Task.isCancelled { return true }
                    if isIdle && state.unheard {
                        state.unheard = false
                        return true
                    }
                    state.waiters[key] = Waiter(continuation: continuation, isIdle: isIdle)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: key) }?.continuation.resume()
        }
    }
}
