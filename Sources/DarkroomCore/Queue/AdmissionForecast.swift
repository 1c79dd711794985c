/// When a job submitted now would start and finish, predicted from the jobs queued ahead of it and the farm's
/// measured pace (``WaitEstimate``), and whether that is soon enough to admit it.
///
/// The queue ahead drains at the pace the wait was predicted from, so a predicted wait shrinks by one second per
/// second: a job refused because it would finish `x` seconds too late fits `x` seconds from now (`Retry-After`).
/// With no pace measured yet (no recent completion) or no slots at all (workers scaled to zero) the wait is
/// predicted as zero: a fleet wakes up on its first users instead of refusing them (a deadline shorter than one
/// service time is still refused).
public struct AdmissionForecast: Sendable, Equatable {
    /// Seconds until a slot takes the job.
    public var startSeconds: Double
    /// Seconds until it finishes: its start plus one mean service time.
    public var finishSeconds: Double

    /// - Parameters:
    ///   - ahead: jobs queued that a claim takes before this one (same or higher priority).
    ///   - meanServiceSeconds: the recent mean time a server works on a job; 0 when unknown.
    public init(ahead: Int, capacity: Capacity, meanServiceSeconds: Double) {
        let service = max(0, meanServiceSeconds)
        startSeconds = WaitEstimate.seconds(position: ahead, capacity: capacity, meanServiceSeconds: service)
        finishSeconds = startSeconds + service
    }

    /// Why a job is refused.
    public enum Refusal: Sendable, Equatable {
        /// It would finish after its deadline. `retryAfterSeconds`: when it would fit; `nil` when even an idle
        /// farm takes longer than the deadline (retrying the same request cannot help).
        case deadlineUnmeetable(retryAfterSeconds: Int?)
        /// It has no deadline and would wait longer than the server's limit.
        case queueFull(retryAfterSeconds: Int)
    }

    /// Why a job whose deadline is `deadlineSeconds` from now (`nil`: none) must be refused; `nil` to admit it.
    public func refusal(deadlineSeconds: Double?, maxQueueSeconds: Double) -> Refusal? {
        if let deadlineSeconds {
            guard finishSeconds > deadlineSeconds else { return nil }
            let service = finishSeconds - startSeconds
            return .deadlineUnmeetable(
                retryAfterSeconds: service > deadlineSeconds ? nil : Self.wholeSeconds(finishSeconds - deadlineSeconds))
        }
        guard startSeconds > maxQueueSeconds else { return nil }
        return .queueFull(retryAfterSeconds: Self.wholeSeconds(startSeconds - maxQueueSeconds))
    }

    /// `seconds` rounded up, at least 1: `Retry-After` is whole seconds, and 0 would invite a retry storm.
    static func wholeSeconds(_ seconds: Double) -> Int { max(1, Int(seconds.rounded(.up))) }
}
