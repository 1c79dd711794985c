import AsyncHTTPClient
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import NIOHTTP1
import Testing

@testable import DarkroomAPI

/// Webhook signing, the address guard, retry timing, and what a submit with a webhook is told.
@Suite struct WebhookTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    static let secretText = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    @Test("signatures match the Standard Webhooks specification's example")
    func signatureMatchesTheSpecification() throws {
        let secret = try #require(WebhookSecret(Self.secretText))
        let signature = secret.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSecret("whsec_%%%") == nil)
        #expect(WebhookSecret("") == nil)
        #expect(WebhookSecret("plain text secret") != nil)
    }

    static let refusedTargets = [
        "http://127.0.0.1/hook", "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/hook", "http://192.168.1.20/hook", "http://172.16.0.1/hook", "http://[fd00::1]/hook",
        "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/hook",
    ]

    @Test("address literals on loopback, private and link-local ranges are refused", arguments: refusedTargets)
    func literalTargetsRefused(_ url: String) throws {
        #expect(throws: WebhookTarget.Refusal.self) { try WebhookTarget(url, allowPrivate: false) }
        #expect(throws: Never.self) { try WebhookTarget(url, allowPrivate: true) }
    }

    @Test("public addresses and names pass the submit check; other schemes and relative URLs do not")
    func submitCheck() throws {
        _ = try WebhookTarget("https://hooks.example.com/darkroom", allowPrivate: false)
        _ = try WebhookTarget("http://93.184.216.34:8080/x", allowPrivate: false)
        #expect(throws: WebhookTarget.Refusal.invalidURL) {
            try WebhookTarget("ftp://example.com/x", allowPrivate: false)
        }
        #expect(throws: WebhookTarget.Refusal.invalidURL) { try WebhookTarget("/relative", allowPrivate: false) }
    }

    @Test("a name is judged by the addresses it resolves to: localhost is loopback")
    func resolvedAddressesChecked() async throws {
        let target = try WebhookTarget("http://localhost:9/hook", allowPrivate: false)
        await #expect {
            try await target.checkResolvedAddresses(allowPrivate: false)
        } throws: { error in
            guard case WebhookTarget.Refusal.forbiddenAddress(_, let kind) = error else { return false }
            return kind == "loopback"
        }
        try await target.checkResolvedAddresses(allowPrivate: true)
    }

    @Test("a delivery's client connects to the checked address, whatever DNS would say about the name")
    func pinnedAddress() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.post("hook") { request, _ in
            Response(status: request.head.authority?.hasPrefix("hooks.invalid") == true ? .noContent : .badRequest)
        }
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            // hooks.invalid never resolves (RFC 6761); the override sends the request to the checked address.
            let pinned = WebhookDispatcher.makeClient(WebhookConfiguration(), resolving: ["hooks.invalid": "127.0.0.1"])
            var request = HTTPClientRequest(url: "http://hooks.invalid:\(port)/hook")
            request.method = .POST
            let status: UInt
            do {
                status = try await pinned.execute(request, timeout: .seconds(60)).status.code
                try await pinned.shutdown()
            } catch {
                try? await pinned.shutdown()
                throw error
            }
            #expect(status == 204)
        }
    }

    @Test("retries wait 5 s, 10 s, 20 s… up to an hour")
    func retryDelays() {
        let configuration = WebhookConfiguration()
        #expect(configuration.retryDelay(afterAttempt: 1) == .seconds(5))
        #expect(configuration.retryDelay(afterAttempt: 2) == .seconds(10))
        #expect(configuration.retryDelay(afterAttempt: 4) == .seconds(40))
        #expect(configuration.retryDelay(afterAttempt: 20) == .seconds(3_600))
    }

    static func configuration(secret: Bool = true, allowPrivate: Bool = false) -> APIConfiguration {
        APIConfiguration(
            statsCacheDuration: .zero,
            webhooks: WebhookConfiguration(
                secret: secret ? WebhookSecret(secretText) : nil, allowPrivateTargets: allowPrivate))
    }

    @Test("a submit with a webhook: refused without a secret, for a private literal, a bad URL, or events alone")
    func submitRefusals() async throws {
        try await fixture.makeApp(configuration: Self.configuration(secret: false)).test(.router) { client in
            let response = try await client.submit(#"{"prompt":"p","webhook_url":"https://hooks.example.com/x"}"#)
            try response.expectProblem(.unprocessableContent, code: "webhooks_disabled")
        }
        try await fixture.makeApp(configuration: Self.configuration()).test(.router) { client in
            let metadata = try await client.submit(#"{"prompt":"p","webhook_url":"http://169.254.169.254/latest"}"#)
            let problem = try metadata.expectProblem(.unprocessableContent, code: "webhook_url_refused")
            #expect(problem.detail?.contains("link-local") == true)
            let ftp = try await client.submit(#"{"prompt":"p","webhook_url":"ftp://example.com/x"}"#)
            try ftp.expectProblem(.unprocessableContent, code: "invalid_webhook_url")
            let alone = try await client.submit(#"{"prompt":"p","webhook_events":["job.failed"]}"#)
            try alone.expectProblem(.unprocessableContent, code: "invalid_parameter")
            let unknown = try await client.submit(
                #"{"prompt":"p","webhook_url":"https://h.example.com","webhook_events":["job.done"]}"#)
            #expect(unknown.status.code >= 400 && unknown.status.code < 500)
        }
        #expect(try await fixture.store.list(ListParams()).jobs.isEmpty)
    }

    @Test("an accepted webhook is stored with the job: terminal events by default, or the ones asked for")
    func webhookStoredWithTheJob() async throws {
        try await fixture.makeApp(configuration: Self.configuration()).test(.router) { client in
            let plain = try await client.submitJob(#"{"prompt":"p","webhook_url":"https://hooks.example.com/x"}"#)
            let detailed = try await client.submitJob(
                #"{"prompt":"p","webhook_url":"https://hooks.example.com/y","webhook_events":["job.running","job.running","job.failed"]}"#
            )
            let plainID = try #require(JobID(parsing: plain.id))
            let detailedID = try #require(JobID(parsing: detailed.id))
            let first = try #require(try await fixture.store.job(id: plainID))
            #expect(
                first.webhook == WebhookSubscription(url: "https://hooks.example.com/x", events: WebhookEvent.terminal))
            let second = try #require(try await fixture.store.job(id: detailedID))
            #expect(second.webhook?.events == [.running, .failed])
            let echoed = try await client.get("/v1/jobs/\(plain.id)").jsonObject()
            #expect(echoed["webhook_url"] as? String == "https://hooks.example.com/x")
            #expect(
                echoed["webhook_events"] as? [String] == ["job.succeeded", "job.failed", "job.canceled", "job.expired"])
        }
    }

    @Test("a delivery to a name resolving to loopback is refused at delivery time, without a connection")
    func deliveryRefusesResolvedLoopback() async throws {
        let configuration = Self.configuration()
        let job = try await fixture.store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "p", seed: 1),
                webhook: WebhookSubscription(url: "http://localhost:9/hook")))
        _ = try await fixture.store.cancel(CancelParams(id: job.id))
        let dispatcher = WebhookDispatcher(
            store: fixture.store, configuration: configuration.webhooks,
            metricsFactory: fixture.metricsFactory, logger: fixture.logger)
        let client = WebhookDispatcher.makeClient(configuration.webhooks)
        let delivered = await dispatcher.deliverDue(with: client)
        try await client.shutdown()
        #expect(delivered == 1)
        let delivery = try #require(try await fixture.store.webhookDeliveries(of: job.id).first)
        #expect(delivery.state == .failed)
        #expect(delivery.attempts == 1)
        #expect(delivery.log.first?.statusCode == nil)
        #expect(delivery.lastError?.contains("loopback") == true, "\(delivery.lastError ?? "")")

        try await fixture.makeApp(configuration: configuration).test(.router) { client in
            let listed = try await client.get("/v1/jobs/\(job.id)/deliveries").jsonObject()
            let first = try #require((listed["deliveries"] as? [[String: Any]])?.first)
            #expect(first["state"] as? String == "failed")
            #expect(first["event"] as? String == "job.canceled")
            #expect((first["attempt_log"] as? [[String: Any]])?.count == 1)
            let missing = try await client.get("/v1/jobs/01a00000-0000-7000-8000-000000000000/deliveries")
            try missing.expectProblem(.notFound, code: "job_not_found")
        }
    }
}
