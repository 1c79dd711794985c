import Foundation

/// A Darkroom job's timeline as the server recorded it, and when the client learned it had finished.
///
/// - queue wait = `started_at − created_at` (commit to claim);
/// - service = `finished_at − started_at` (the slot's work, every attempt of it);
/// - detection lag = the client's clock when it read the terminal state − `finished_at`: what SSE or polling
///   adds. Both clocks are this machine's on loopback; across machines clock skew enters it, so a negative
///   lag (skew) is counted as 0.
public struct JobTiming: Sendable, Equatable {
    public var queueWait: Duration
    public var service: Duration
    public var detectionLag: Duration

    public init(queueWait: Duration, service: Duration, detectionLag: Duration) {
        self.queueWait = queueWait
        self.service = service
        self.detectionLag = detectionLag
    }

    /// The timing of a finished job observed at `observedAt`; `nil` when a timestamp is missing.
    public init?(createdAt: Date?, startedAt: Date?, finishedAt: Date?, observedAt: Date) {
        guard let createdAt, let startedAt, let finishedAt else { return nil }
        self.init(
            queueWait: Self.span(from: createdAt, to: startedAt), service: Self.span(from: startedAt, to: finishedAt),
            detectionLag: Self.span(from: finishedAt, to: observedAt))
    }

    /// `end − start`, never negative.
    private static func span(from start: Date, to end: Date) -> Duration {
        .seconds(max(0, end.timeIntervalSince(start)))
    }
}
