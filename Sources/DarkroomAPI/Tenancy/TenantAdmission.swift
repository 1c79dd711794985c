import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Synchronization

/// Admission per tenant, before the commit and before the deadline admission: the tenant's cap on queued jobs,
/// its daily GPU-seconds quota, then its token bucket (`rate`, `burst`). A refusal is 429 problem+json
/// (`tenant_queue_full`, `quota_exhausted`, `rate_limited`) with a computed `Retry-After`; quota and rate refusals
/// also carry the `RateLimit-Policy` and `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers.
///
/// Each gateway keeps its own buckets (as nginx's `limit_req` does), so behind N gateways a tenant may submit up
/// to N times its rate; the queue cap and the quota are read from the store and hold across gateways. A tenant's
/// settings and its GPU seconds today are remembered for a few seconds, like keys.
final class TenantAdmission: Sendable {
    private let directory: any TenantDirectory
    private let now: @Sendable () -> Double
    private let wallClock: @Sendable () -> Date
    private let settings: RecentReads<Tenant?>
    private let usedToday: RecentReads<Double>
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// - Parameters:
    ///   - now: seconds on a monotonic clock, for the buckets (tests move one by hand).
    ///   - wallClock: the time of day, for the quota's UTC day.
    init(
        directory: any TenantDirectory, cacheDuration: Duration = .seconds(5), now: @escaping @Sendable () -> Double,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.directory = directory
        settings = RecentReads(lifetime: cacheDuration)
        usedToday = RecentReads(lifetime: cacheDuration)
        self.now = now
        self.wallClock = wallClock
    }

    /// Admits one submit of `tenant`, or throws the 429 ``Problem`` that refuses it.
    ///
    /// - Parameter meanServiceSeconds: the farm's recent time per job, which paces a full queue's `Retry-After`.
    func admit(tenant name: String, meanServiceSeconds: Double) async throws {
        guard let tenant = try await tenant(named: name) else { return }
        if let maxQueued = tenant.limits.maxQueued {
            let backlog = try await directory.unfinishedJobs(of: name)
            if backlog.queued >= maxQueued {
                throw Problem(
                    .tooManyRequests, code: ProblemCode.tenantQueueFull.rawValue,
                    detail: "\(name) has \(backlog.queued) jobs queued, its limit is \(maxQueued)",
                    retryAfterSeconds: Self.wholeSeconds(meanServiceSeconds))
            }
        }
        if let quota = tenant.limits.dailyGPUSeconds { try await checkQuota(quota, of: name) }
        guard let rate = tenant.limits.ratePerSecond else { return }
        let capacity = Double(tenant.limits.burst ?? Self.wholeSeconds(rate))
        let now = now()
        let (outcome, fullIn) = buckets.withLock { buckets in
            var bucket =
                buckets[name].flatMap { $0.rate == rate && $0.capacity == capacity ? $0 : nil }
                ?? TokenBucket(rate: rate, capacity: capacity, now: now)
            let outcome = bucket.take(now: now)
            buckets[name] = bucket
            return (outcome, bucket.secondsUntilFull(now: now))
        }
        guard case .refused(let wait) = outcome else { return }
        var problem = Problem(
            .tooManyRequests, code: ProblemCode.rateLimited.rawValue,
            detail: "\(name) may submit \(Self.number(rate)) jobs a second, \(Int(capacity)) at once",
            retryAfterSeconds: Self.wholeSeconds(wait))
        let window = Self.wholeSeconds(capacity / rate)
        problem.headers[HTTPField.Name("RateLimit-Policy")!] = "\"tenant\";q=\(Int(capacity));w=\(window)"
        problem.headers[HTTPField.Name("RateLimit")!] = "\"tenant\";r=0;t=\(Self.wholeSeconds(fullIn))"
        throw problem
    }

    /// Refuses with `quota_exhausted` once the tenant's jobs that finished this UTC day have used `quota` GPU
    /// seconds; the refusal lasts until midnight UTC. Jobs still running are counted when they finish.
    private func checkQuota(_ quota: Double, of name: String) async throws {
        let now = wallClock()
        let day = floor(now.timeIntervalSince1970 / 86_400) * 86_400
        let used = try await usedToday.value(for: "\(name) \(Int(day))") {
            try await directory.gpuSeconds(of: name, since: Date(timeIntervalSince1970: day))
        }
        guard used >= quota else { return }
        let untilMidnight = max(1, Int((day + 86_400 - now.timeIntervalSince1970).rounded(.up)))
        var problem = Problem(
            .tooManyRequests, code: ProblemCode.quotaExhausted.rawValue,
            detail: "\(name) has used \(Int(used)) of its \(Self.number(quota)) GPU seconds today (UTC)",
            retryAfterSeconds: untilMidnight)
        problem.headers[HTTPField.Name("RateLimit-Policy")!] = "\"gpu-day\";q=\(Int(quota));w=86400"
        problem.headers[HTTPField.Name("RateLimit")!] = "\"gpu-day\";r=0;t=\(untilMidnight)"
        throw problem
    }

    private func tenant(named name: String) async throws -> Tenant? {
        try await settings.value(for: name) { try await directory.tenant(named: name) }
    }

    /// `seconds` rounded up to a whole number within 1…1,000,000,000: a header's value from any stored limit,
    /// however extreme, never overflows.
    private static func wholeSeconds(_ seconds: Double) -> Int {
        seconds.isNaN ? 1 : Int(min(max(seconds.rounded(.up), 1), 1_000_000_000))
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
