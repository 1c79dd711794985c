/// How transactions arrive: virtual users that wait for each answer, or a fixed arrival rate.
public enum LoadModel: Sendable, Equatable {
    /// Closed loop, as Locust runs: each user runs one transaction, pauses for `think`, and repeats, so the
    /// offered load drops when the target slows down.
    case closedLoop(RampSchedule, think: Duration)
    /// Open loop: `arrivalsPerSecond` transactions start each second, evenly spaced, whatever the target's
    /// answers; each one is independent, so the offered load does not drop when the target slows down.
    case openLoop(arrivalsPerSecond: Double)

    /// The most transactions that can be in flight at once, for sizing the connection pool: the users, or the
    /// arrivals within one transaction timeout.
    public func maximumInFlight(timeout: Duration) -> Int {
        switch self {
        case .closedLoop(let ramp, _):
            return ramp.users
        case .openLoop(let rate):
            return Int(min((rate * timeout.inSeconds).rounded(.up), 100_000))
        }
    }

    /// What Little's law gives as the mean latency at `throughput` transactions per second, once the users
    /// have all started: users ÷ throughput − think. `nil` for an open loop, where latency is not set by it.
    public func littleLatency(atThroughput throughput: Double) -> Double? {
        guard case .closedLoop(let ramp, let think) = self, throughput > 0 else { return nil }
        return Double(ramp.users) / throughput - think.inSeconds
    }

    /// One line for the report: `closed loop, 50→200 users (+10/s), think 1s` or `open loop, 5 arrivals/s`.
    public var summary: String {
        switch self {
        case .closedLoop(let ramp, let think):
            let isFlat = ramp.startUsers == ramp.users
            let users = isFlat ? "\(ramp.users) users" : "\(ramp.startUsers)→\(ramp.users) users"
            let spawn = isFlat ? "" : " (+\(ReportNumber.plain(ramp.spawnRate))/s)"
            return "closed loop, \(users)\(spawn), think \(DurationText.format(think))"
        case .openLoop(let rate):
            return "open loop, \(ReportNumber.plain(rate)) arrivals/s"
        }
    }
}
