import Histogram

/// An HDR histogram of durations at microsecond resolution (three significant digits), up to one hour.
///
/// Values are recorded in whole microseconds; longer than an hour records as an hour, negative as zero.
/// Percentiles are HdrHistogram's (the highest value equivalent to the percentile's bucket), capped at the
/// largest value recorded so that p50 ≤ p95 ≤ p99 ≤ max always holds.
public struct LatencyHistogram: Sendable {
    private static let highestMicroseconds: UInt64 = 3_600_000_000
    private var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: highestMicroseconds, numberOfSignificantValueDigits: .three)

    public init() {}

    public mutating func record(_ duration: Duration) {
        let microseconds = (duration.inSeconds * 1_000_000).rounded()
        let value = microseconds <= 0 ? 0 : UInt64(min(microseconds, Double(Self.highestMicroseconds)))
        histogram.record(value)
    }

    public var count: Int { Int(histogram.totalCount) }

    /// Mean, p50, p95, p99 and max in seconds; `nil` when nothing was recorded.
    public var summary: LatencySummary? {
        guard histogram.totalCount > 0 else { return nil }
        let max = histogram.maxRecorded
        func seconds(_ microseconds: UInt64) -> Double { Double(microseconds) / 1_000_000 }
        func percentile(_ value: Double) -> Double { seconds(min(histogram.valueAtPercentile(value), max)) }
        return LatencySummary(
            mean: histogram.mean / 1_000_000, p50: percentile(50), p95: percentile(95), p99: percentile(99),
            max: seconds(max))
    }
}
