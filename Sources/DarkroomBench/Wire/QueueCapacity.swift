import Foundation

/// The two figures of Darkroom's `GET /v1/queue` that give its physical limit.
public struct QueueCapacity: Sendable, Equatable, Decodable {
    public var slots: Int
    /// Mean run time of recently succeeded jobs (0 when none yet, or when the store does not report it).
    public var meanServiceSeconds: Double

    public init(slots: Int, meanServiceSeconds: Double) {
        self.slots = slots
        self.meanServiceSeconds = meanServiceSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case slots
        case meanServiceSeconds = "mean_service_seconds"
    }

    /// `slots ÷ mean_service_seconds` jobs per second when both are more than 0, else `nil` (unknown).
    public var limit: ThroughputLimit? {
        guard slots > 0, meanServiceSeconds > 0, meanServiceSeconds.isFinite else { return nil }
        let source = "GET /v1/queue: \(slots) slots ÷ \(ReportNumber.fixed(meanServiceSeconds, 3)) s mean service"
        return ThroughputLimit(perSecond: Double(slots) / meanServiceSeconds, source: source)
    }
}
