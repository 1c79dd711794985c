/// The real continuous clock, which also signals each time someone starts to sleep on it.
///
/// A test awaits the signal to know the backend is mid-work before it cancels; nothing waits on wall time.
struct SignallingClock: Clock {
    typealias Instant = ContinuousClock.Instant

    private let base = ContinuousClock()
    private let sleeps: AsyncStream<Void>.Continuation

    init(sleeps: AsyncStream<Void>.Continuation) {
        self.sleeps = sleeps
    }

    var now: Instant { base.now }
    var minimumResolution: Duration { base.minimumResolution }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        sleeps.yield()
        try await base.sleep(until: deadline, tolerance: tolerance)
    }
}
