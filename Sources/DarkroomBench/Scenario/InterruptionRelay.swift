import Synchronization

/// Passes SIGINT on to whichever run is going, and remembers it so later runs are skipped.
///
/// Each run takes a fresh stream from ``stream()``: an `AsyncStream` finishes when its waiting reader is
/// cancelled, so one stream cannot serve runs one after another. Concurrency: all state is in a `Mutex`.
public final class InterruptionRelay: Sendable {
    private struct State {
        var isInterrupted = false
        var current: AsyncStream<Void>.Continuation?
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether ``interrupt()`` has been called.
    public var isInterrupted: Bool { state.withLock { $0.isInterrupted } }

    /// Stops the current run (and, through ``isInterrupted``, the ones after it).
    public func interrupt() {
        state.withLock { state in
            state.isInterrupted = true
            state.current?.yield()
        }
    }

    /// A stream for the next run; it yields at once when an interruption came already.
    public func stream() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        state.withLock { state in
            state.current?.finish()
            state.current = continuation
            if state.isInterrupted { continuation.yield() }
        }
        return stream
    }
}
