import DarkroomCore
import Foundation
import GRDB

extension Job {
    /// The jobs a statement on `jobs` returns (`SELECT *` or `RETURNING *`), each decoded from SQLite's current
    /// row as it is stepped: GRDB's `Row.fetchAll` copies every row first and then finds each column by comparing
    /// lowercased names, one by one, a third of the cost of decoding a job; a cursor's row looks them up in a
    /// table made once per statement.
    static func fetchAll(_ statement: Statement, arguments: StatementArguments) throws -> [Job] {
        try Array(Row.fetchCursor(statement, arguments: arguments).map(Job.init(sqliteRow:)))
    }

    /// The first job a statement on `jobs` returns, as ``fetchAll(_:arguments:)`` decodes it.
    static func fetchOne(_ statement: Statement, arguments: StatementArguments) throws -> Job? {
        try fetchAll(statement, arguments: arguments).first
    }

    /// Decodes a `jobs` row (`SELECT *` or `RETURNING *`).
    init(sqliteRow row: Row) throws {
        let request = try DecodedRequests.shared.request(fromJSON: row["request"])
        let images: [ImageResult] =
            if let text = row["images"] as String? {
                try JSONDecoder().decode([ImageResult].self, from: Data(text.utf8))
            } else {
                []
            }
        var lease: Lease?
        if let owner = row["lease_owner"] as String?, let expiresAt = row["lease_expires_at"] as Double? {
            lease = Lease(owner: owner, token: row["lease_token"], expiresAt: Date(timeIntervalSince1970: expiresAt))
        }
        var failure: JobFailure?
        if let code = row["error_code"] as String? {
            failure = JobFailure(code: code, message: row["error_message"] ?? "")
        }
        self.init(
            id: JobID(rawValue: row["id"]),
            tenant: row["tenant"],
            priority: row["priority"],
            state: JobState(rawValue: row["state"]) ?? .failed,
            request: request,
            attempt: row["attempt"],
            maxAttempts: row["max_attempts"],
            runAfter: Date(timeIntervalSince1970: row["run_after"]),
            lease: lease,
            leaseLostCount: row["lease_lost_count"],
            progress: JobProgress(step: row["progress_step"], steps: row["progress_steps"]),
            backend: row["backend"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            startedAt: (row["started_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            images: images,
            failure: failure,
            metadataJSON: row["metadata"],
            webhook: try WebhookSubscription(column: row["webhook_url"], events: row["webhook_events"]),
            deadline: (row["deadline_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        )
    }
}

extension WebhookSubscription {
    /// The subscription stored in a job's `webhook_url` and `webhook_events` columns, if any.
    init?(column url: String?, events: String?) throws {
        guard let url else { return nil }
        let names = try events.map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        self.init(url: url, events: names.compactMap(WebhookEvent.init(rawValue:)))
    }

    /// The `webhook_events` column: a JSON array of event names, which the delivery trigger searches.
    var eventsColumn: String {
        (try? jsonText(events.map(\.rawValue))) ?? "[]"
    }
}

/// JSON text of a value, for the TEXT columns that hold structured data.
func jsonText(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

extension Optional where Wrapped == Date {
    /// Unix seconds of the given instant, or of this process's clock when `nil`.
    var unixSecondsOrNow: Double { (self ?? Date()).timeIntervalSince1970 }
}
