/// The span of the run whose transactions count: `[start, end]` as offsets from the run's start.
///
/// Counting rule: a transaction counts in the window in which it *ended*, so one that starts during the
/// warm-up and ends inside the window counts, and one that ends before `start` does not. Throughput is the
/// successes that ended inside ÷ ``length``.
public struct MeasurementWindow: Sendable, Equatable {
    public var start: Duration
    public var end: Duration

    public init(start: Duration, end: Duration) {
        self.start = start
        self.end = end
    }

    /// The last `measureLast` of a run of `duration` (the whole run when `measureLast` is longer).
    public static func planned(duration: Duration, measureLast: Duration) -> MeasurementWindow {
        MeasurementWindow(start: max(.zero, duration - measureLast), end: duration)
    }

    /// The window of a run that stopped at `stop`: it ends there; a run stopped (by SIGINT) before the
    /// window opened measures everything from the start instead of nothing.
    public func stopped(at stop: Duration) -> MeasurementWindow {
        guard stop < end else { return self }
        return MeasurementWindow(start: stop > start ? start : .zero, end: stop)
    }

    public var length: Duration { end - start }

    /// Whether a transaction that ended at `ended` counts (both bounds included).
    public func contains(_ ended: Duration) -> Bool { start <= ended && ended <= end }
}
