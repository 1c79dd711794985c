/// The tallies of a run, and how many transactions are in flight.
///
/// The run calls ``begin()`` before a transaction and ``record(_:)`` after it. ``close(at:)`` marks the stop:
/// after it nothing begins and nothing is recorded, so a transaction still running at the stop (cancelled
/// then) is counted once, in ``inFlight``, and never as an error. A value type; the runner keeps it in a `Mutex`.
public struct TransactionLog: Sendable {
    /// The planned window; ``inWindow`` holds the transactions that ended inside it.
    public let window: MeasurementWindow
    /// Every transaction recorded, warm-up included.
    public private(set) var wholeRun = TransactionTally()
    /// The transactions that ended inside ``window``.
    public private(set) var inWindow = TransactionTally()
    /// Every transaction recorded, by the second it ended in.
    public private(set) var timeline = Timeline()
    /// Every transaction recorded, by the second it started in: how the latency of arrivals changed.
    public private(set) var startTimeline = Timeline()
    public private(set) var started = 0
    /// When the run stopped, once it has.
    public private(set) var stoppedAt: Duration?

    public init(window: MeasurementWindow) {
        self.window = window
    }

    /// Counts a transaction as started; `false` (and nothing counted) once the log is closed.
    public mutating func begin() -> Bool {
        guard stoppedAt == nil else { return false }
        started += 1
        return true
    }

    /// Adds a finished transaction; `false` (and nothing added) once the log is closed.
    @discardableResult
    public mutating func record(_ result: TransactionResult) -> Bool {
        guard stoppedAt == nil else { return false }
        wholeRun.add(result)
        timeline.add(result)
        startTimeline.add(result, at: result.started)
        if window.contains(result.ended) { inWindow.add(result) }
        return true
    }

    /// Stops the log at `stop` (an offset from the run's start); later calls keep the first stop.
    public mutating func close(at stop: Duration) {
        if stoppedAt == nil { stoppedAt = stop }
    }

    /// Transactions begun and not recorded: running now, or running at the stop.
    public var inFlight: Int { started - wholeRun.count }

    /// The window as cut at `stop`, and the tally of the transactions that ended inside it.
    ///
    /// Every recorded transaction ended before the stop, so a run stopped before its window opened (whose
    /// window becomes the whole run) is measured by ``wholeRun``.
    public func measured(stoppedAt stop: Duration) -> (window: MeasurementWindow, tally: TransactionTally) {
        let cut = window.stopped(at: stop)
        return (cut, cut.start < window.start ? wholeRun : inWindow)
    }
}
