import DarkroomCore
import Foundation
import PostgresNIO

/// A new queued job; with an idempotency key already taken, nothing (see ``PostgresJobStore/enqueue(_:)``).
///
/// Its place in the fair order (docs/tenants.md, "Fair share"): it starts where its tenant's unfinished work
/// ends, or at the queue's virtual time (the earliest start still queued, else the latest under way) if that is
/// later, and it finishes its cost divided by its tenant's weight after that; a tenant with no unfinished work
/// starts just before the queue's virtual time, so its job takes the next turn. Two of one tenant's jobs queued at
/// the same instant may share a start; nothing is locked for it.
struct EnqueueStatement: JobRowStatement {
    static let sql = """
        WITH tag AS (
            SELECT CASE WHEN tenant.last IS NULL THEN clock.v - 1e-9 ELSE greatest(clock.v, tenant.last) END AS vstart,
                   coalesce((SELECT weight FROM tenants WHERE name = $2), 1) AS weight
              FROM (SELECT coalesce((SELECT vstart FROM jobs WHERE state = 'queued' ORDER BY vstart, id LIMIT 1),
                                    (SELECT max(vstart) FROM jobs WHERE state = 'running'), 0) AS v) AS clock,
                   (SELECT max(vfinish) AS last FROM jobs
                     WHERE tenant = $2 AND state IN ('queued', 'running')) AS tenant)
        INSERT INTO jobs (id, tenant, priority, state, request, max_attempts, run_after, progress_steps, created_at,
                          metadata, affinity, idempotency_key, idempotency_fingerprint, webhook_url, webhook_events,
                          deadline_at, vstart, vfinish)
        SELECT $1, $2, $3, 'queued', $4, $5, coalesce($6, now()), $7, coalesce($6, now()),
               $8, $9, $10, $11, $12, $13, $14, tag.vstart, tag.vstart + $15 / tag.weight
          FROM tag
        ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING \(Job.postgresColumns())
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .text, .text, .int8, .text, .int8, .timestamptz, .int8, .text, .text, .text, .text, .text, .text,
        .timestamptz, .float8,
    ]

    var params: EnqueueParams
    /// The request as stored: its JSON text.
    var requestJSON: String

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 15)
        bindings.append(params.id.rawValue)
        bindings.append(params.tenant)
        bindings.append(params.priority)
        bindings.append(requestJSON)
        bindings.append(params.maxAttempts)
        bindings.append(params.now)
        bindings.append(params.request.steps)
        bindings.append(params.metadataJSON)
        bindings.append(params.request.affinity.key)
        bindings.append(params.idempotency?.key)
        bindings.append(params.idempotency?.fingerprint)
        bindings.append(params.webhook?.url)
        bindings.append(params.webhook?.eventsColumn)
        bindings.append(params.deadline)
        bindings.append(params.request.referencePortraits)
        return bindings
    }
}

/// A worker's heartbeat: the lease extended, and the progress when it has some.
struct HeartbeatStatement: JobRowStatement {
    static let sql = """
        UPDATE jobs
           SET lease_expires_at = coalesce($1, now()) + make_interval(secs => $2),
               progress_step = coalesce($3::integer, progress_step)
         WHERE id = $4 AND state = 'running' AND lease_token = $5
        RETURNING \(Job.postgresColumns())
        """
    static let bindingDataTypes: [PostgresDataType] = [.timestamptz, .float8, .int8, .text, .int8]

    var params: HeartbeatParams

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(params.now)
        bindings.append(params.leaseDuration.seconds)
        bindings.append(params.progress?.step)
        bindings.append(params.lease.jobID.rawValue)
        bindings.append(params.lease.token)
        return bindings
    }
}

/// Jobs' successes, with their images, in one statement (``PostgresJobStore/complete(_:)`` combines the
/// completions that arrive together); `started_at` moves to when each job's server began on it, never past its end.
/// A job whose lease token no longer matches is left alone and missing from the result.
struct CompleteBatchStatement: JobRowStatement {
    static let sql = """
        UPDATE jobs
           SET state = 'succeeded', finished_at = coalesce(done.finished_at, now()), images = done.images,
               progress_step = progress_steps,
               started_at = least(greatest(jobs.started_at, coalesce(done.started_at, jobs.started_at)),
                                  coalesce(done.finished_at, now())),
               service_seconds = done.service_seconds, lease_owner = NULL, lease_expires_at = NULL
          FROM (SELECT id, token, images, service_seconds,
                       timestamptz 'epoch' + finished_us * interval '1 microsecond' AS finished_at,
                       timestamptz 'epoch' + started_us * interval '1 microsecond' AS started_at
                  FROM jsonb_to_recordset($1::jsonb)
                       AS done(id text, token int8, images text, service_seconds float8, finished_us int8,
                               started_us int8)) AS done
         WHERE jobs.id = ANY ($2) AND jobs.id = done.id AND jobs.state = 'running' AND jobs.lease_token = done.token
        RETURNING \(Job.postgresColumns(of: "jobs"))
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .textArray]

    /// One completion as the statement reads it; times in microseconds since 1970, `nil` for the database's clock.
    struct Completion: Encodable {
        var id: String
        var token: Int64
        var images: String
        var serviceSeconds: Double?
        var finishedMicroseconds: Int64?
        var startedMicroseconds: Int64?

        enum CodingKeys: String, CodingKey {
            case id, token, images
            case serviceSeconds = "service_seconds"
            case finishedMicroseconds = "finished_us"
            case startedMicroseconds = "started_us"
        }

        init(_ params: CompleteParams) throws {
            id = params.lease.jobID.rawValue
            token = params.lease.token
            images = try jsonText(params.images)
            serviceSeconds = params.serviceTime?.seconds
            finishedMicroseconds = params.now.map(Self.microseconds)
            startedMicroseconds = params.startedAt.map(Self.microseconds)
        }

        private static func microseconds(_ date: Date) -> Int64 {
            Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        }
    }

    /// The completions as one JSON array.
    var completionsJSON: String
    /// Their jobs' ids, apart: the rows are found by primary key whatever plan PostgreSQL caches. Joined to the
    /// JSON alone, its generic plan read every running job into a hash table for each batch.
    var ids: [String]

    init(_ completions: [Completion]) throws {
        completionsJSON = String(decoding: try JSONEncoder().encode(completions), as: UTF8.self)
        ids = completions.map(\.id)
    }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(completionsJSON)
        bindings.append(ids)
        return bindings
    }
}
