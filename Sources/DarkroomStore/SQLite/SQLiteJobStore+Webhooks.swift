import DarkroomCore
import Foundation
import GRDB

/// The webhook outbox on SQLite: the `jobs_webhook` trigger (migration 0006) fills it.
extension SQLiteJobStore {
    public func claimWebhookDeliveries(_ params: ClaimWebhookDeliveriesParams) async throws -> [WebhookDelivery] {
        let now = params.now.unixSecondsOrNow
        return try await update { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        UPDATE webhook_deliveries SET lease_until = ?
                        WHERE id IN (SELECT id FROM webhook_deliveries
                                     WHERE state = 'pending' AND next_attempt_at <= ?
                                       AND (lease_until IS NULL OR lease_until < ?)
                                     ORDER BY next_attempt_at LIMIT ?)
                        RETURNING *
                        """),
                arguments: [now + params.lease.seconds, now, now, params.limit]
            ).map { try WebhookDelivery(sqliteRow: $0) }.sorted { $0.nextAttemptAt < $1.nextAttemptAt }
        }
    }

    public func recordWebhookAttempt(_ params: RecordWebhookAttemptParams) async throws {
        let attempt = params.attempt
        let (state, nextAttempt, deliveredAt): (String, Double?, Double?) =
            switch params.outcome {
            case .delivered: ("delivered", nil, attempt.at.timeIntervalSince1970)
            case .retry(let at): ("pending", at.timeIntervalSince1970, nil)
            case .failed: ("failed", nil, nil)
            }
        try await update { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_seconds)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    params.deliveryID, attempt.number, attempt.at.timeIntervalSince1970, attempt.statusCode,
                    attempt.error, attempt.durationSeconds,
                ])
            try db.execute(
                sql: """
                    UPDATE webhook_deliveries
                    SET state = ?, attempts = ?, next_attempt_at = coalesce(?, next_attempt_at), lease_until = NULL,
                        delivered_at = ?, last_error = ?
                    WHERE id = ?
                    """,
                arguments: [state, attempt.number, nextAttempt, deliveredAt, attempt.error, params.deliveryID])
        }
    }

    public func webhookDeliveries(of jobID: JobID) async throws -> [WebhookDelivery] {
        try await read { db in
            let attempts = try Row.fetchAll(
                db,
                sql: """
                    SELECT webhook_attempts.* FROM webhook_attempts
                    JOIN webhook_deliveries ON webhook_deliveries.id = webhook_attempts.delivery_id
                    WHERE webhook_deliveries.job_id = ? ORDER BY webhook_attempts.attempt
                    """,
                arguments: [jobID.rawValue])
            let log = Dictionary(grouping: attempts) { $0["delivery_id"] as String }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM webhook_deliveries WHERE job_id = ? ORDER BY created_at, id",
                arguments: [jobID.rawValue]
            ).map { row in
                var delivery = try WebhookDelivery(sqliteRow: row)
                delivery.log = (log[delivery.id] ?? []).map(WebhookAttempt.init(sqliteRow:))
                return delivery
            }
        }
    }
}

extension WebhookDelivery {
    init(sqliteRow row: Row) throws {
        self.init(
            id: row["id"], jobID: JobID(rawValue: row["job_id"]),
            event: WebhookEvent(rawValue: row["event"]) ?? .succeeded, url: row["url"],
            state: State(rawValue: row["state"]) ?? .failed, attempts: row["attempts"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
            deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            lastError: row["last_error"])
    }
}

extension WebhookAttempt {
    init(sqliteRow row: Row) {
        self.init(
            number: row["attempt"], at: Date(timeIntervalSince1970: row["at"]), statusCode: row["status_code"],
            error: row["error"], durationSeconds: row["duration_seconds"])
    }
}
