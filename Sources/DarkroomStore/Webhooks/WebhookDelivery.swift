import DarkroomCore
import Foundation

/// One event to deliver to a job's webhook, with every attempt made so far.
///
/// The store writes a pending delivery in the same transaction as the state change it reports; a dispatcher
/// claims it, posts it and records each attempt until it is delivered or given up.
public struct WebhookDelivery: Sendable, Equatable {
    /// Where a delivery stands.
    public enum State: String, Sendable {
        /// Not delivered yet; due at ``WebhookDelivery/nextAttemptAt``.
        case pending
        case delivered
        /// Given up: refused, answered with a final error, or still failing after the retry window.
        case failed
    }

    /// The message id, sent as `webhook-id`; the same for every attempt, so receivers can drop repeats.
    public var id: String
    public var jobID: JobID
    public var event: WebhookEvent
    public var url: String
    public var state: State
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var deliveredAt: Date?
    public var lastError: String?
    /// Every attempt in order; filled by ``WebhookOutbox/webhookDeliveries(of:)`` only.
    public var log: [WebhookAttempt]

    public init(
        id: String, jobID: JobID, event: WebhookEvent, url: String, state: State, attempts: Int, createdAt: Date,
        nextAttemptAt: Date, deliveredAt: Date? = nil, lastError: String? = nil, log: [WebhookAttempt] = []
    ) {
        self.id = id
        self.jobID = jobID
        self.event = event
        self.url = url
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastError = lastError
        self.log = log
    }
}

/// One POST of a delivery and what came of it.
public struct WebhookAttempt: Sendable, Equatable {
    /// 1 for the first attempt.
    public var number: Int
    public var at: Date
    /// The receiver's HTTP status, when it answered.
    public var statusCode: Int?
    /// Why the attempt did not succeed (connection refused, timeout, refused address…), when it did not.
    public var error: String?
    public var durationSeconds: Double

    public init(number: Int, at: Date, statusCode: Int?, error: String?, durationSeconds: Double) {
        self.number = number
        self.at = at
        self.statusCode = statusCode
        self.error = error
        self.durationSeconds = durationSeconds
    }
}
