import Synchronization

/// The per-process state that keeps ``JobID/generate(now:)`` increasing: the last millisecond used and a
/// counter within it.
final class JobIDSequence: Sendable {
    static let shared = JobIDSequence()

    /// Milliseconds a clock may step back and still be kept in order.
    static let tolerance: UInt64 = 10

    private let state = Mutex<(milliseconds: UInt64, sequence: UInt16)>((0, 0))

    /// The millisecond and counter for the next identifier, never below the previous pair.
    ///
    /// A new millisecond starts the counter at a random value in the lower half, leaving room to count up;
    /// if the counter would overflow, the identifier borrows the next millisecond. A clock that steps back by
    /// less than ``tolerance`` (a small correction) keeps the previous millisecond; a larger step is taken as
    /// the new truth.
    func next(milliseconds now: UInt64) -> (milliseconds: UInt64, sequence: UInt16) {
        state.withLock { state in
            if now > state.milliseconds || state.milliseconds - now > Self.tolerance {
                state = (now, UInt16.random(in: 0...0x07FF))
            } else if state.sequence < 0x0FFF {
                state.sequence += 1
            } else {
                state = (state.milliseconds + 1, 0)
            }
            return state
        }
    }
}
