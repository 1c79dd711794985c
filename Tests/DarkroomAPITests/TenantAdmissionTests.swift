import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A tenant's own limits at submit: its token bucket, its cap on queued jobs and its daily GPU seconds, each a 429
/// with `Retry-After`, before anything is committed; other tenants are not affected.
@Suite(.timeLimit(.minutes(5))) struct TenantAdmissionTests {
    let fixture: APITestFixture

    /// The buckets' clock, moved by hand: a test judges tokens, not how long the machine took.
    let clock = ManualSeconds()
    let configuration: APIConfiguration

    init() async throws {
        fixture = try await APITestFixture()
        var configuration = APITestFixture.keysRequired
        configuration.rateClock = { [clock] in clock.value }
        self.configuration = configuration
    }

    @Test("past its burst a tenant gets 429 rate_limited with Retry-After and RateLimit fields; the retry is accepted")
    func rateLimited() async throws {
        _ = try await fixture.store.createTenant(
            Tenant(name: "alpha", limits: TenantLimits(ratePerSecond: 1, burst: 2)))
        let alpha = try await fixture.makeKey(tenant: "alpha")
        let beta = try await fixture.makeKey(tenant: "beta")
        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            _ = try await client.submitJob(key: alpha)
            _ = try await client.submitJob(key: alpha)
            let refused = try await client.submit(#"{"prompt":"p"}"#, headers: .bearer(alpha))
            try refused.expectProblem(.tooManyRequests, code: "rate_limited")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap(Int.init))
            #expect(retryAfter == 1)
            #expect(refused.headers[HTTPField.Name("RateLimit-Policy")!] == #""tenant";q=2;w=2"#)
            #expect(refused.headers[HTTPField.Name("RateLimit")!] == #""tenant";r=0;t=2"#)
            // Another tenant has its own bucket.
            _ = try await client.submitJob(key: beta)

            // A client that waits Retry-After finds a token.
            clock.advance(by: Double(retryAfter))
            _ = try await client.submitJob(key: alpha)
            // Exactly the accepted submits were committed.
            #expect(try await fixture.store.unfinishedJobs(of: "alpha") == TenantBacklog(queued: 3, running: 0))
        }
    }

    @Test("at its queue cap a tenant gets 429 tenant_queue_full until one of its jobs leaves the queue")
    func queueCap() async throws {
        _ = try await fixture.store.createTenant(Tenant(name: "alpha", limits: TenantLimits(maxQueued: 2)))
        let alpha = try await fixture.makeKey(tenant: "alpha")
        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            let first = try await client.submitJob(key: alpha)
            _ = try await client.submitJob(key: alpha)
            let refused = try await client.submit(#"{"prompt":"p"}"#, headers: .bearer(alpha))
            try refused.expectProblem(.tooManyRequests, code: "tenant_queue_full")
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { $0 >= 1 } == true)
            #expect(try await fixture.store.unfinishedJobs(of: "alpha").queued == 2)

            #expect(try await client.post("/v1/jobs/\(first.id)/cancel", key: alpha).status == .ok)
            _ = try await client.submitJob(key: alpha)
        }
    }

    @Test(
        "past its daily GPU seconds a tenant gets 429 quota_exhausted until midnight UTC; the next day it is accepted")
    func dailyQuota() async throws {
        _ = try await fixture.store.createTenant(Tenant(name: "alpha", limits: TenantLimits(dailyGPUSeconds: 15)))
        let alpha = try await fixture.makeKey(tenant: "alpha")
        // 06:00 UTC on a day: two jobs of 10 GPU seconds each finish, 20 of its 15.
        let day = floor(Date().timeIntervalSince1970 / 86_400) * 86_400
        let wall = Mutex(Date(timeIntervalSince1970: day + 6 * 3_600))
        var configuration = self.configuration
        configuration.wallClock = { wall.withLock { $0 } }
        for _ in 0..<2 {
            try await fixture.finishJob(of: "alpha", seconds: 10, at: Date(timeIntervalSince1970: day + 3_600))
        }
        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            let refused = try await client.submit(#"{"prompt":"p"}"#, headers: .bearer(alpha))
            try refused.expectProblem(.tooManyRequests, code: "quota_exhausted")
            #expect(refused.headers[.retryAfter] == String(18 * 3_600), "until midnight UTC")
            #expect(refused.headers[HTTPField.Name("RateLimit-Policy")!] == #""gpu-day";q=15;w=86400"#)
            #expect(refused.headers[HTTPField.Name("RateLimit")!] == #""gpu-day";r=0;t=64800"#)
            #expect(try await fixture.store.unfinishedJobs(of: "alpha").queued == 0)
            // A new UTC day starts a new count.
            wall.withLock { $0 = Date(timeIntervalSince1970: day + 86_400 + 60) }
            _ = try await client.submitJob(key: alpha)
        }
    }

    @Test("/sdapi/v1/txt2img past the tenant's rate is WebUI's 429 with Retry-After")
    func webUIRateLimited() async throws {
        _ = try await fixture.store.createTenant(
            Tenant(name: "alpha", limits: TenantLimits(ratePerSecond: 0.01, burst: 1)))
        let alpha = try await fixture.makeKey(tenant: "alpha")
        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            // The one token goes to a REST submit; the WebUI call finds none and is refused before waiting.
            _ = try await client.submitJob(key: alpha)
            var headers = HTTPFields.basic(user: "alpha", password: alpha)
            headers[.contentType] = "application/json"
            let refused = try await client.execute(
                uri: "/sdapi/v1/txt2img", method: .post, headers: headers, body: ByteBuffer(string: #"{"prompt":"p"}"#))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "100")
            #expect(refused.headers[HTTPField.Name("RateLimit-Policy")!] == #""tenant";q=1;w=100"#)
        }
    }

    @Test("a stored rate far below today's range is refused with a bounded Retry-After, not a crash")
    func extremeStoredRate() async throws {
        // A store written before the ranges (or edited by hand) may hold any positive rate.
        _ = try await fixture.store.createTenant(
            Tenant(name: "alpha", limits: TenantLimits(ratePerSecond: 1e-300, burst: 1)))
        let alpha = try await fixture.makeKey(tenant: "alpha")
        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            _ = try await client.submitJob(key: alpha)
            let refused = try await client.submit(#"{"prompt":"p"}"#, headers: .bearer(alpha))
            try refused.expectProblem(.tooManyRequests, code: "rate_limited")
            #expect(refused.headers[.retryAfter] == "1000000000")
        }
    }
}

/// Seconds that pass only when a test says so.
final class ManualSeconds: Sendable {
    private let seconds = Mutex(0.0)

    var value: Double { seconds.withLock { $0 } }

    func advance(by amount: Double) { seconds.withLock { $0 += amount } }
}
