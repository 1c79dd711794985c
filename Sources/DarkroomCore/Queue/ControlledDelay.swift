/// Controlled delay at admission, after Facebook's "Fail at Scale": a queue that has not emptied for
/// ``interval`` is a *standing* queue, which adds latency and no throughput (the GPUs would be busy with a much
/// shorter one). While one stands, admission holds a new job's predicted wait under ``target`` instead of letting
/// the queue grow to each job's deadline. A burst that finds the queue empty may still fill it (up to the
/// deadlines) and drains; a sustained overload keeps a short queue, so the backlog it leaves behind when the load
/// falls drains within about ``target`` seconds.
///
/// A value type: the gateway feeds it what its queue figures show (``observe(queued:at:)``) and asks it for the
/// limit when it judges a job (``waitLimit(at:)``).
public struct ControlledDelay: Sendable, Equatable {
    /// The longest predicted wait (seconds) a job is admitted with while a queue stands.
    public var target: Double
    /// How long (seconds) the queue must stay non-empty before it counts as standing.
    public var interval: Double
    /// When the figures last showed no queued job.
    public private(set) var lastEmpty: ContinuousClock.Instant

    /// A queue that counts as empty at `start` (a gateway that just started has seen no standing queue).
    public init(target: Double, interval: Double, start: ContinuousClock.Instant) {
        self.target = target
        self.interval = interval
        lastEmpty = start
    }

    /// Notes what the queue figures read at `instant` showed: `queued` jobs waiting.
    public mutating func observe(queued: Int, at instant: ContinuousClock.Instant) {
        if queued == 0, instant > lastEmpty { lastEmpty = instant }
    }

    /// Whether the queue has stayed non-empty for longer than ``interval`` at `now`.
    public func isStanding(at now: ContinuousClock.Instant) -> Bool {
        now - lastEmpty > .seconds(interval)
    }

    /// ``target`` while a queue stands at `now`; `nil` (no extra limit) otherwise.
    public func waitLimit(at now: ContinuousClock.Instant) -> Double? {
        isStanding(at: now) ? target : nil
    }
}
