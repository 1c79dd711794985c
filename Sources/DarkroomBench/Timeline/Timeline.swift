/// A run second by second: the successes, errors and p95 latency of the transactions that *ended* in each second
/// (or, in ``TransactionLog/startTimeline``, that *started* in it).
///
/// Bucket `n` holds the transactions that ended in `[n, n + 1)` seconds after the start, so one ending at exactly
/// 2 s is in bucket 2; one ending before the start (never, in a run) is in bucket 0. Buckets are dense: a second
/// in which nothing ended is an empty bucket, not a gap. The p95 is over the bucket's successes only. A value
/// type; the run adds to it through ``TransactionLog``.
public struct Timeline: Sendable, Equatable {
    /// One second of the run.
    public struct Bucket: Sendable, Equatable {
        /// Whole seconds since the start: the bucket covers `[second, second + 1)`.
        public var second: Int
        public var ok = 0
        public var errors = 0
        /// The successes' latencies in seconds, ascending.
        public private(set) var latencies: [Double] = []

        public init(second: Int) {
            self.second = second
        }

        mutating func add(_ result: TransactionResult) {
            guard result.isSuccess else {
                errors += 1
                return
            }
            ok += 1
            let latency = result.latency.inSeconds
            // Insert in order; a bucket holds at most one second's transactions.
            let index = latencies.firstIndex { $0 > latency } ?? latencies.endIndex
            latencies.insert(latency, at: index)
        }

        /// The nearest-rank 95th percentile of the successes' latencies; `nil` when none succeeded.
        public var p95: Double? {
            guard !latencies.isEmpty else { return nil }
            let rank = Int((0.95 * Double(latencies.count)).rounded(.up))
            return latencies[max(rank, 1) - 1]
        }
    }

    /// Bucket `n` at index `n`.
    public private(set) var buckets: [Bucket] = []

    public init() {}

    /// The timeline of `results`, in any order.
    public init(_ results: some Sequence<TransactionResult>) {
        for result in results { add(result) }
    }

    /// Adds a finished transaction to the bucket of its end.
    public mutating func add(_ result: TransactionResult) { add(result, at: result.ended) }

    /// Adds a finished transaction to the bucket of `instant` (an offset from the run's start).
    public mutating func add(_ result: TransactionResult, at instant: Duration) {
        let second = Self.second(of: instant)
        extend(toCount: second + 1)
        buckets[second].add(result)
    }

    /// The timeline with an empty bucket for every whole second before `stop`, so that a quiet end of the run
    /// shows as zeros; a last part-second without transactions is left out rather than drawn as a dip to 0.
    public func padded(through stop: Duration) -> Timeline {
        var padded = self
        padded.extend(toCount: Int(stop.inSeconds.rounded(.down)))
        return padded
    }

    /// The bucket of a transaction that ended at `ended`.
    static func second(of ended: Duration) -> Int {
        max(0, Int(ended.inSeconds.rounded(.down)))
    }

    private mutating func extend(toCount count: Int) {
        while buckets.count < count { buckets.append(Bucket(second: buckets.count)) }
    }
}
