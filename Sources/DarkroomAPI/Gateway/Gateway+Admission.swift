import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes

/// Admission by predicted completion: before a job is committed, the gateway predicts when it would finish and
/// refuses it with 429 when that is past its deadline (or, without one, when its wait is past
/// `maxQueueSeconds`), with a `Retry-After` from the queue's pace. docs/overload.md has the model.
extension Gateway {
    /// The forecast of a job at `priority` whose deadline is `deadline`, submitted at `now`; without a deadline
    /// its wait may be at most `maxWaitSeconds` (default: the server's `maxQueueSeconds`).
    ///
    /// - Parameter key: the client's idempotency key, with its tenant: a refusal holds the client's place until
    ///   its `Retry-After` (when a retry then can still meet the deadline, or the wait limit), and a retry with the
    ///   same key redeems it (``AdmissionLedger``).
    /// - Throws: a 429 ``Problem`` (`deadline_unmeetable` or `queue_full`, with `Retry-After` when a retry can
    ///   succeed) when the job cannot be served in time; nothing is committed then.
    func admit(
        priority: Int, deadline: Date?, now: Date, maxWaitSeconds: Double? = nil, key: String? = nil
    ) async throws -> AdmissionForecast {
        let (stats, readAt) = try await figures.statsAndReadTime()
        let capacity = await capacity.capacity()
        admissions.observe(queued: stats.counts[.queued] ?? 0, at: readAt)
        let limit = maxWaitSeconds ?? configuration.maxQueueSeconds
        let deadlineSeconds = deadline.map { $0.timeIntervalSince(now) }
        // Jobs admitted here since the figures were read, and places held, are ahead of this one too.
        let (forecast, refusal) = admissions.admit(priority: priority, key: key, after: readAt) { ahead, standing in
            let forecast = Self.forecast(priority: priority, stats: stats, capacity: capacity, alsoAhead: ahead)
            let refusal = forecast.refusal(
                deadlineSeconds: deadlineSeconds, maxQueueSeconds: limit, standingQueueSeconds: standing)
            let retryAfter = refusal?.retryAfterSeconds.map(Double.init)
            // A place is worth holding only for a retry that can still be served in time.
            let hold = retryAfter.flatMap { $0 <= (deadlineSeconds ?? limit) ? $0 : nil }
            // A deadline that a retry could meet was missed because of the queue: demand is past the deadlines.
            let overflow = refusal.map { $0.isDeadline && $0.retryAfterSeconds != nil } ?? false
            return ((forecast, refusal), refusal == nil ? .admit : .refuse(holdSeconds: hold, overflow: overflow))
        }
        guard let refusal else { return forecast }
        let problem = Problem(refusal, forecast: forecast)
        metrics.jobRejected(reason: problem.code)
        // Demand more GPUs could serve; a deadline shorter than one job is not.
        if refusal != .deadlineUnmeetable(retryAfterSeconds: nil) { refusals.record() }
        throw problem
    }
}

extension Gateway {
    /// Admits one submit of `tenant` by its own limits (``TenantAdmission``), or throws its 429 ``Problem``.
    func admit(tenant: String) async throws {
        do {
            let meanService = try await figures.stats().recentMeanServiceSeconds
            try await tenantAdmission.admit(tenant: tenant, meanServiceSeconds: meanService)
        } catch let problem as Problem {
            metrics.jobRejected(reason: problem.code)
            throw problem
        }
    }
}

extension Gateway {
    /// The forecast of a new job without a key at each priority, counted as admission would count it now.
    func predictions() async throws -> [(priority: Int, forecast: AdmissionForecast)] {
        let (stats, readAt) = try await figures.statsAndReadTime()
        let capacity = await capacity.capacity()
        return Priority.range.map { priority in
            let alsoAhead = admissions.ahead(of: priority, after: readAt)
            return (priority, Self.forecast(priority: priority, stats: stats, capacity: capacity, alsoAhead: alsoAhead))
        }
    }

    /// The forecast of a job at `priority`, from figures already read, with `alsoAhead` jobs they do not show.
    static func forecast(
        priority: Int, stats: StoreStats, capacity: Capacity, alsoAhead: Int = 0
    ) -> AdmissionForecast {
        // Running jobs are in the capacity's busy slots; queued ones of the same or higher priority go first.
        let ahead = stats.queuedByPriority.filter { $0.key >= priority }.values.reduce(0, +) + alsoAhead
        return AdmissionForecast(ahead: ahead, capacity: capacity, meanServiceSeconds: stats.recentMeanServiceSeconds)
    }
}

extension Problem {
    /// The 429 for an admission refusal.
    init(_ refusal: AdmissionForecast.Refusal, forecast: AdmissionForecast) {
        let finish = Int(forecast.finishSeconds.rounded(.up))
        switch refusal {
        case .deadlineUnmeetable(let retryAfter):
            let advice = retryAfter.map { "; it would fit in \($0) s" } ?? "; even an idle farm takes longer"
            self.init(
                .tooManyRequests, code: ProblemCode.deadlineUnmeetable.rawValue,
                detail: "the job would finish in about \(finish) s, after its deadline\(advice)",
                retryAfterSeconds: retryAfter)
        case .queueFull(let retryAfter):
            self.init(
                .tooManyRequests, code: ProblemCode.queueFull.rawValue,
                detail:
                    "the job would wait about \(Int(forecast.startSeconds.rounded(.up))) s, past this server's limit",
                retryAfterSeconds: retryAfter)
        }
    }
}
