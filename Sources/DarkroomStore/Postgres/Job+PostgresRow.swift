import DarkroomCore
import Foundation
import PostgresNIO

extension Job {
    /// Decodes a `jobs` row (`SELECT *` or `RETURNING *`).
    init(postgresRow row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        let request = try DecodedRequests.shared.request(fromJSON: try row["request"].decode(String.self))
        let images: [ImageResult] =
            if let text = try row["images"].decode(String?.self) {
                try JSONDecoder().decode([ImageResult].self, from: Data(text.utf8))
            } else {
                []
            }
        var lease: Lease?
        if let owner = try row["lease_owner"].decode(String?.self),
            let expiresAt = try row["lease_expires_at"].decode(Date?.self)
        {
            lease = Lease(owner: owner, token: try row["lease_token"].decode(Int64.self), expiresAt: expiresAt)
        }
        var failure: JobFailure?
        if let code = try row["error_code"].decode(String?.self) {
            failure = JobFailure(code: code, message: try row["error_message"].decode(String?.self) ?? "")
        }
        self.init(
            id: JobID(rawValue: try row["id"].decode(String.self)),
            tenant: try row["tenant"].decode(String.self),
            priority: try row["priority"].decode(Int.self),
            state: JobState(rawValue: try row["state"].decode(String.self)) ?? .failed,
            request: request,
            attempt: try row["attempt"].decode(Int.self),
            maxAttempts: try row["max_attempts"].decode(Int.self),
            runAfter: try row["run_after"].decode(Date.self),
            lease: lease,
            leaseLostCount: try row["lease_lost_count"].decode(Int.self),
            progress: JobProgress(
                step: try row["progress_step"].decode(Int.self), steps: try row["progress_steps"].decode(Int.self)),
            backend: try row["backend"].decode(String?.self),
            createdAt: try row["created_at"].decode(Date.self),
            startedAt: try row["started_at"].decode(Date?.self),
            finishedAt: try row["finished_at"].decode(Date?.self),
            images: images,
            failure: failure,
            metadataJSON: try row["metadata"].decode(String?.self),
            webhook: row.contains("webhook_url")
                ? try WebhookSubscription(
                    column: try row["webhook_url"].decode(String?.self),
                    events: try row["webhook_events"].decode(String?.self)) : nil,
            deadline: row.contains("deadline_at") ? try row["deadline_at"].decode(Date?.self) : nil
        )
    }
}
