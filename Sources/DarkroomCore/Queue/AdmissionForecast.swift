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
        /// It would wait longer than the server allows: past `--max-queue-seconds` (a job without a deadline),
        /// or past the controlled-delay target while a queue stands (a job with one).
        case queueFull(retryAfterSeconds: Int)

        /// Whether the job's own deadline was missed (rather than a wait limit of the server).
        public var isDeadline: Bool {
            if case .deadlineUnmeetable = self { true } else { false }
        }

        /// When a retry would fit; `nil` when none can.
        public var retryAfterSeconds: Int? {
            switch self {
            case .deadlineUnmeetable(let seconds): seconds
            case .queueFull(let seconds): seconds
            }
        }
    }

    /// Why a job whose deadline is `deadlineSeconds` from now (`nil`: none) must be refused; `nil` to admit it.
    ///
    /// - Parameters:
    ///   - maxQueueSeconds: the longest wait of a job without a deadline.
    ///   - standingQueueSeconds: the longest wait of a job with a deadline while a queue stands
    ///     (``ControlledDelay``); `nil` when none does. A job without a deadline asked for no admission by time,
    ///     so only `maxQueueSeconds` bounds it.
    public func refusal(
        deadlineSeconds: Double?, maxQueueSeconds: Double, standingQueueSeconds: Double? = nil
    ) -> Refusal? {
        guard let deadlineSeconds else {
            guard startSeconds > maxQueueSeconds else { return nil }
            return .queueFull(retryAfterSeconds: Self.wholeSeconds(startSeconds - maxQueueSeconds))
        }
        // A retry must satisfy both limits: it fits once the later of the two is met.
        let standingWait = standingQueueSeconds.map { startSeconds - $0 } ?? 0
        if finishSeconds > deadlineSeconds {
            let service = finishSeconds - startSeconds
            guard service <= deadlineSeconds else { return .deadlineUnmeetable(retryAfterSeconds: nil) }
            return .deadlineUnmeetable(
                retryAfterSeconds: Self.wholeSeconds(max(finishSeconds - deadlineSeconds, standingWait)))
        }
        guard standingWait > 0 else { return nil }
        return .queueFull(retryAfterSeconds: Self.wholeSeconds(standingWait))
    }

    /// `seconds` rounded up, at least 1: `Retry-After` is whole seconds, and 0 would invite a retry storm.
    static func wholeSeconds(_ seconds: Double) -> Int { max(1, Int(seconds.rounded(.up))) }
}
