import AsyncHTTPClient
import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Delivers the webhook outbox: claims due deliveries, posts each as a signed Standard Webhooks message, and
/// records every attempt.
///
/// Runs in every gateway (and in `darkroom serve`), never in a worker: a slow receiver holds a dispatcher's
/// slot, not a GPU. The store's leases let any number of dispatchers share one outbox. A 2xx answer delivers;
/// a network error (a name that does not resolve included), a timeout, 429 or 5xx is retried with exponential
/// backoff for 24 hours; any other answer (redirects included: they are not followed) and a refused address
/// give up at once.
public struct WebhookDispatcher: Service {
    private let store: any JobQueue & WebhookOutbox
    private let configuration: WebhookConfiguration
    private let metrics: WebhookMetrics
    private let logger: Logger

    public init(
        store: any JobQueue & WebhookOutbox, configuration: WebhookConfiguration,
        metricsFactory: any MetricsFactory, logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        metrics = WebhookMetrics(factory: metricsFactory)
        self.logger = logger
    }

    public func run() async throws {
        let client = Self.makeClient(configuration)
        await cancelWhenGracefulShutdown { await dispatch(with: client) }
        try await client.shutdown()
    }

    private func dispatch(with client: HTTPClient) async {
        while !Task.isCancelled {
            if await deliverDue(with: client) == 0 {
                try? await Task.sleep(for: configuration.pollInterval)
            }
        }
    }

    /// Claims the deliveries due now and makes one attempt of each, at once; returns how many there were.
    func deliverDue(with client: HTTPClient) async -> Int {
        let due: [WebhookDelivery]
        do {
            due = try await store.claimWebhookDeliveries(
                .init(limit: configuration.concurrency, lease: configuration.lease))
        } catch {
            logger.warning("Webhook outbox unavailable", metadata: [LogKey.error.rawValue: "\(error)"])
            return 0
        }
        await withTaskGroup(of: Void.self) { group in
            for delivery in due {
                group.addTask { await deliver(delivery, with: client) }
            }
        }
        return due.count
    }

    /// An HTTP client as deliveries need it: no redirects followed, bounded connect and read times, and
    /// `resolving` host names to the given addresses instead of asking DNS.
    static func makeClient(_ configuration: WebhookConfiguration, resolving: [String: String] = [:]) -> HTTPClient {
        var settings = HTTPClient.Configuration()
        settings.dnsOverride = resolving
        settings.redirectConfiguration = .disallow
        settings.timeout = .init(connect: .seconds(5), read: .seconds(Int64(configuration.requestTimeout.seconds)))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }

    /// Makes one attempt of `delivery` and records it.
    private func deliver(_ delivery: WebhookDelivery, with client: HTTPClient) async {
        let started = Date()
        let clock = ContinuousClock.now
        var status: Int?
        var failure: String?
        var retryable = false
        do {
            let code = try await post(delivery, with: client)
            status = code
            switch code {
            case 200..<300: break
            case 300..<400: failure = "HTTP \(code): redirects are not followed"
            case 429, 500...: (retryable, failure) = (true, "HTTP \(code)")
            default: failure = "HTTP \(code)"
            }
        } catch let refusal as Undeliverable {
            failure = refusal.reason
        } catch {
            (retryable, failure) = (true, String(describing: error))
        }
        var outcome: RecordWebhookAttemptParams.Outcome = failure == nil ? .delivered : .failed
        if retryable {
            outcome = retryOrGiveUp(delivery, now: Date())
            if outcome == .failed {
                failure =
                    (failure ?? "") + "; given up \(Int(configuration.retryWindow.seconds / 3_600)) h after the event"
            }
        }
        let attempt = WebhookAttempt(
            number: delivery.attempts + 1, at: started, statusCode: status, error: failure,
            durationSeconds: (ContinuousClock.now - clock).seconds)
        metrics.record(outcome)
        logger.log(
            level: outcome == .delivered ? .debug : .info, "Webhook attempt",
            metadata: [
                LogKey.jobID.rawValue: "\(delivery.jobID)", "webhook.id": "\(delivery.id)",
                "webhook.event": "\(delivery.event.rawValue)", "webhook.attempt": "\(attempt.number)",
                "webhook.outcome": "\(outcome)", "webhook.error": "\(failure ?? "")",
            ])
        do {
            try await store.recordWebhookAttempt(.init(deliveryID: delivery.id, attempt: attempt, outcome: outcome))
        } catch {
            // The lease runs out and the delivery is tried again: at least once, never lost.
            logger.warning("Webhook attempt not recorded", metadata: [LogKey.error.rawValue: "\(error)"])
        }
    }

    /// A retry after the backoff, unless that would fall past the retry window.
    private func retryOrGiveUp(_ delivery: WebhookDelivery, now: Date) -> RecordWebhookAttemptParams.Outcome {
        let next = now.addingTimeInterval(configuration.retryDelay(afterAttempt: delivery.attempts + 1).seconds)
        let deadline = delivery.createdAt.addingTimeInterval(configuration.retryWindow.seconds)
        return next <= deadline ? .retry(at: next) : .failed
    }

    /// A delivery that cannot be made at all: its target is refused, its job is gone, or no secret is set.
    private struct Undeliverable: Error {
        var reason: String
    }

    /// A name that did not resolve: retried like a network error (DNS has bad minutes too).
    private struct ResolutionFailed: Error, CustomStringConvertible {
        var host: String
        var description: String { "the host \(host) does not resolve" }
    }

    /// POSTs the signed message; returns the receiver's status.
    private func post(_ delivery: WebhookDelivery, with client: HTTPClient) async throws -> Int {
        let target: WebhookTarget
        let checkedAddress: String?
        do {
            target = try WebhookTarget(delivery.url, allowPrivate: configuration.allowPrivateTargets)
            checkedAddress = try await target.checkResolvedAddresses(allowPrivate: configuration.allowPrivateTargets)
        } catch .unresolvable(let host) {
            throw ResolutionFailed(host: host)
        } catch {
            throw Undeliverable(reason: "refused: \(error)")
        }
        guard let secret = configuration.secret else {
            throw Undeliverable(reason: "no webhook secret is configured (--webhook-secret)")
        }
        guard let job = try await store.job(id: delivery.jobID) else {
            throw Undeliverable(reason: "job \(delivery.jobID) no longer exists")
        }
        let timestamp = Int(Date().timeIntervalSince1970)
        let body = try WebhookPayload(event: delivery.event, job: job, at: Date()).encoded()
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Darkroom-Webhooks/1")
        request.headers.add(name: "webhook-id", value: delivery.id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature", value: secret.signature(id: delivery.id, timestamp: timestamp, body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        // A checked name is reached at the address that was checked, so a second DNS answer cannot send the
        // request elsewhere; that takes a client of its own (its DNS override), closed after the attempt.
        guard let checkedAddress else { return try await send(request, with: client) }
        let pinned = Self.makeClient(configuration, resolving: [target.host: checkedAddress])
        do {
            let status = try await send(request, with: pinned)
            try await pinned.shutdown()
            return status
        } catch {
            try? await pinned.shutdown()
            throw error
        }
    }

    private func send(_ request: HTTPClientRequest, with client: HTTPClient) async throws -> Int {
        let response = try await client.execute(request, timeout: .seconds(Int64(configuration.requestTimeout.seconds)))
        _ = try? await response.body.collect(upTo: 64 << 10)
        return Int(response.status.code)
    }
}
