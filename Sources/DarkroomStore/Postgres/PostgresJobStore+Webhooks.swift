import DarkroomCore
import Foundation
import PostgresNIO

/// The webhook outbox on PostgreSQL: the `jobs_webhook` trigger (migration 0006) fills it; dispatchers in any
/// number of gateways claim from it with `FOR UPDATE SKIP LOCKED`.
extension PostgresJobStore {
    public func claimWebhookDeliveries(_ params: ClaimWebhookDeliveriesParams) async throws -> [WebhookDelivery] {
        let rows = try await perform { [self] in
            try await client.query(
                """
                WITH clock AS (SELECT coalesce(\(params.now)::timestamptz, now()) AS now),
                due AS (
                    SELECT id FROM webhook_deliveries, clock
                    WHERE state = 'pending' AND next_attempt_at <= clock.now
                      AND (lease_until IS NULL OR lease_until < clock.now)
                    ORDER BY next_attempt_at LIMIT \(params.limit)
                    FOR UPDATE SKIP LOCKED)
                UPDATE webhook_deliveries
                SET lease_until = (SELECT now FROM clock) + make_interval(secs => \(params.lease.seconds))
                FROM due WHERE webhook_deliveries.id = due.id
                RETURNING webhook_deliveries.*
                """, logger: logger
            ).collect()
        }
        return try rows.map(WebhookDelivery.init(postgresRow:)).sorted { $0.nextAttemptAt < $1.nextAttemptAt }
    }

    public func recordWebhookAttempt(_ params: RecordWebhookAttemptParams) async throws {
        let attempt = params.attempt
        let (state, nextAttempt, deliveredAt): (String, Date?, Date?) =
            switch params.outcome {
            case .delivered: ("delivered", nil, attempt.at)
            case .retry(let at): ("pending", at, nil)
            case .failed: ("failed", nil, nil)
            }
        _ = try await perform { [self] in
            try await client.query(
                """
                WITH attempt AS (
                    INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_seconds)
                    VALUES (\(params.deliveryID), \(attempt.number), \(attempt.at), \(attempt.statusCode),
                            \(attempt.error), \(attempt.durationSeconds)))
                UPDATE webhook_deliveries
                SET state = \(state), attempts = \(attempt.number),
                    next_attempt_at = coalesce(\(nextAttempt)::timestamptz, next_attempt_at), lease_until = NULL,
                    delivered_at = \(deliveredAt)::timestamptz, last_error = \(attempt.error)
                WHERE id = \(params.deliveryID)
                """, logger: logger)
        }
    }

    public func webhookDeliveries(of jobID: JobID) async throws -> [WebhookDelivery] {
        let (deliveries, attempts) = try await perform { [self] in
            let deliveries = try await client.query(
                "SELECT * FROM webhook_deliveries WHERE job_id = \(jobID.rawValue) ORDER BY created_at, id",
                logger: logger
            ).collect()
            let attempts = try await client.query(
                """
                SELECT webhook_attempts.* FROM webhook_attempts
                JOIN webhook_deliveries ON webhook_deliveries.id = webhook_attempts.delivery_id
                WHERE webhook_deliveries.job_id = \(jobID.rawValue) ORDER BY webhook_attempts.attempt
                """, logger: logger
            ).collect()
            return (deliveries, attempts)
        }
        var log: [String: [WebhookAttempt]] = [:]
        for row in attempts {
            let row = row.makeRandomAccess()
            log[try row["delivery_id"].decode(String.self), default: []].append(
                WebhookAttempt(
                    number: try row["attempt"].decode(Int.self), at: try row["at"].decode(Date.self),
                    statusCode: try row["status_code"].decode(Int?.self), error: try row["error"].decode(String?.self),
                    durationSeconds: try row["duration_seconds"].decode(Double.self)))
        }
        return try deliveries.map { row in
            var delivery = try WebhookDelivery(postgresRow: row)
            delivery.log = log[delivery.id] ?? []
            return delivery
        }
    }
}

extension WebhookDelivery {
    init(postgresRow row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(
            id: try row["id"].decode(String.self), jobID: JobID(rawValue: try row["job_id"].decode(String.self)),
            event: WebhookEvent(rawValue: try row["event"].decode(String.self)) ?? .succeeded,
            url: try row["url"].decode(String.self),
            state: State(rawValue: try row["state"].decode(String.self)) ?? .failed,
            attempts: try row["attempts"].decode(Int.self), createdAt: try row["created_at"].decode(Date.self),
            nextAttemptAt: try row["next_attempt_at"].decode(Date.self),
            deliveredAt: try row["delivered_at"].decode(Date?.self),
            lastError: try row["last_error"].decode(String?.self))
    }
}
