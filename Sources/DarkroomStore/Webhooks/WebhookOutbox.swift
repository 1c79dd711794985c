import DarkroomCore
import Foundation

/// The webhook outbox: deliveries committed with the job changes they report, leased to dispatchers.
///
/// Contract every conformer keeps (the webhook outbox conformance suite tests each sentence):
/// - A job whose state changes to one its webhook subscribes to gets one pending delivery, committed with the
///   change and due at once.
/// - `claimWebhookDeliveries` leases due pending deliveries (oldest due first) so that concurrent dispatchers,
///   in one process or many, never hold the same delivery at once; a lease that runs out frees it again.
/// - `recordWebhookAttempt` appends the attempt, ends the lease and applies the outcome.
/// - Deliveries go with their job when retention deletes it.
public protocol WebhookOutbox: Sendable {
    /// Leases up to `params.limit` pending deliveries due by `params.now`.
    func claimWebhookDeliveries(_ params: ClaimWebhookDeliveriesParams) async throws -> [WebhookDelivery]
    /// Records one attempt of a delivery and what follows from it.
    func recordWebhookAttempt(_ params: RecordWebhookAttemptParams) async throws
    /// A job's deliveries, oldest first, each with its attempts.
    func webhookDeliveries(of jobID: JobID) async throws -> [WebhookDelivery]
}

/// Parameters of ``WebhookOutbox/claimWebhookDeliveries(_:)``.
public struct ClaimWebhookDeliveriesParams: Sendable {
    public var limit: Int
    /// How long the claimer may hold a delivery before another dispatcher may take it.
    public var lease: Duration
    public var now: Date?

    public init(limit: Int, lease: Duration, now: Date? = nil) {
        self.limit = limit
        self.lease = lease
        self.now = now
    }
}

/// Parameters of ``WebhookOutbox/recordWebhookAttempt(_:)``.
public struct RecordWebhookAttemptParams: Sendable {
    /// What the attempt leads to.
    public enum Outcome: Sendable, Equatable {
        case delivered
        /// Try again at this time.
        case retry(at: Date)
        /// Give up.
        case failed
    }

    public var deliveryID: String
    public var attempt: WebhookAttempt
    public var outcome: Outcome

    public init(deliveryID: String, attempt: WebhookAttempt, outcome: Outcome) {
        self.deliveryID = deliveryID
        self.attempt = attempt
        self.outcome = outcome
    }
}
