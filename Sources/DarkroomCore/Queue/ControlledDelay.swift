/// Controlled delay at admission, after Facebook's "Fail at Scale": a queue fed faster than the GPUs drain it is
/// a *standing* queue, which adds latency and no throughput (the GPUs would be as busy with a much shorter one).
///
/// The sign of it is a job refused because its deadline could not be met: demand is past what the deadlines
/// allow. From that refusal until the queue figures show the queue empty again, admission holds a new job's
/// predicted wait under ``target`` instead of letting the queue stay as long as each deadline allows. So a
/// sustained overload keeps a short queue, and the backlog it leaves when the load falls drains within about
/// ``target`` seconds; a load the deadlines can carry (however long its queue) is never refused by it.
///
/// A value type: the gateway tells it what its queue figures show and when it refused a job for its deadline,
/// and asks it for the limit when it judges a job.
public struct ControlledDelay: Sendable, Equatable {
    /// The longest predicted wait (seconds) a job is admitted with while a queue stands.
    public var target: Double
    /// When the queue began to stand (the first deadline refusal since it was last seen empty); `nil`: it does not.
    public private(set) var standingSince: ContinuousClock.Instant?

    public init(target: Double) {
        self.target = target
    }

    /// Notes a job refused at `instant` because its deadline could not be met.
    public mutating func noteOverflow(at instant: ContinuousClock.Instant) {
        if standingSince == nil { standingSince = instant }
    }

    /// Notes what the queue figures read at `instant` showed: `queued` jobs waiting. An empty queue read after
    /// the queue began to stand ends it.
    public mutating func observe(queued: Int, at instant: ContinuousClock.Instant) {
        if queued == 0, let since = standingSince, instant > since { standingSince = nil }
    }

    /// ``target`` while a queue stands; `nil` (no extra limit) otherwise.
    public var waitLimit: Double? { standingSince == nil ? nil : target }
}
