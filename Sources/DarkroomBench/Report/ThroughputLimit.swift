/// The target's physical limit in successful transactions per second, and where the figure came from.
public struct ThroughputLimit: Sendable, Equatable {
    public var perSecond: Double
    /// `--limit`, or how the target's figures gave it (`GET /v1/queue: 2 slots ÷ 0.200 s mean service`).
    public var source: String

    public init(perSecond: Double, source: String) {
        self.perSecond = perSecond
        self.source = source
    }
}
