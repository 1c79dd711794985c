import DarkroomStore
import Synchronization

/// How long a running job's lease can last, as its worker knows it: the store extends the lease (by the lease
/// duration, from its own clock) when a claim or heartbeat runs, and that answer arrives after it ran, so the lease
/// certainly ends by the time the last answer arrived plus the lease duration.
///
/// A finished job's outcome is worth recording until then (``keepTrying(_:)``): a store that is down for a moment
/// does not cost a second run of work the GPU has already done. Past it the rescuer may have re-queued the job,
/// and fencing rejects a late outcome anyway.
final class LeaseTerm: Sendable {
    private let lastExtended: Mutex<ContinuousClock.Instant>
    private let duration: Duration

    /// - Parameter extended: when the answer that started the lease (the claim) arrived.
    init(duration: Duration, extended: ContinuousClock.Instant = .now) {
        self.duration = duration
        lastExtended = Mutex(extended)
    }

    /// An answer that extended the lease arrived now.
    func extended(at instant: ContinuousClock.Instant = .now) {
        lastExtended.withLock { $0 = max($0, instant) }
    }

    /// When the lease certainly has ended, unless extended again.
    var certainEnd: ContinuousClock.Instant { lastExtended.withLock { $0 } + duration }

    /// Runs `record` until it succeeds, trying again with backoff (0.1 s doubling to 2 s) while the store is
    /// unavailable and the lease may still be valid; rethrows any other error, or the last one once the next try
    /// would come after ``certainEnd``.
    ///
    /// - Parameter retrying: told the error and the delay before each new try.
    func keepTrying<T>(
        _ record: () async throws -> T, retrying: (any Error, Duration) -> Void = { _, _ in }
    ) async throws -> T {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                return try await record()
            } catch JobStoreError.unavailable(let detail) {
                guard ContinuousClock.now + delay < certainEnd else { throw JobStoreError.unavailable(detail: detail) }
                retrying(JobStoreError.unavailable(detail: detail), delay)
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }
}
