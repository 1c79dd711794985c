import Crypto
import DarkroomCore
import Foundation
import PostgresNIO

/// Up to `limit` queued jobs, each taking the next turn in the fair order, moved to `running` under a new lease
/// (docs/tenants.md, "Fair share"), in one round trip: a PL/pgSQL function (``createFunction``) takes a batch's
/// turns at once when it can (``BatchClaimSQL``), and otherwise runs ``turnSQL`` once a turn until it has `limit`
/// jobs or a turn finds none.
///
/// A turn belongs to the claimable job with the earliest virtual start that no concurrent claim holds (so
/// claims at the same instant take consecutive turns, not one tenant's consecutive jobs), among the tenants below
/// their cap on running jobs. A capped tenant's turns that the claim passes over are forfeited: they move to the
/// end of that tenant's work, so it banks no credit while capped and the next claim does not pass them again.
///
/// Its tenant's claimable jobs compete for the turn: the first `preferenceDepth` in priority order (read but not
/// locked), re-ordered by the backend's preferences (away from a backend a job just failed on, towards the model
/// the backend has loaded); the first of them not locked by a concurrent claim (`SKIP LOCKED`) wins. The tenant's
/// first job in priority order that no concurrent claim holds (`first_free`) is that winner unless a preference
/// passes it over; when it wins, the rest are not read, as the `preferred` branch of the `UNION ALL` under
/// `LIMIT 1` never runs (reading and sorting 256 jobs was 2 ms of a turn's 2.2). A first job passed over stays
/// locked until the claim commits. When the winner is not the turn's own job (which the claim holds locked), the
/// two swap places in the fair order, so the tenant's share is unchanged. A claim costs the same at any queue
/// depth and with any number of tenants. A job past its deadline is never taken; the sweeper
/// (``PostgresJobStore/expireOverdue(_:)``) ends it.
///
/// Its plan must not depend on the limit, because after a few calls PostgreSQL may plan a prepared statement
/// once for every value: without a value, it assumes a limit keeps a tenth of the rows, and joined the head back
/// to `jobs` by reading every queued row (13.7 ms a claim with 20,000 queued). The lock therefore looks the head
/// up by primary key (`id = ANY`), which no assumption about its length turns into a scan.
struct ClaimStatement: JobRowStatement {
    /// One turn: the job that takes it, claimed, as a row of `jobs` (parameters `$1`–`$7` as ``makeBindings()``).
    static let turnSQL = """
        WITH clock AS (SELECT coalesce($1, now()) AS now,
                              coalesce($1, now()) - make_interval(secs => $2) AS window_start),
        capped AS (
            SELECT tenants.name FROM tenants
             WHERE tenants.max_running IS NOT NULL
               AND tenants.max_running <= (SELECT count(*) FROM jobs
                                            WHERE jobs.tenant = tenants.name AND jobs.state = 'running')),
        turn AS (
            SELECT jobs.id, jobs.tenant, jobs.vstart, jobs.vfinish
              FROM jobs, clock
             WHERE jobs.state = 'queued' AND jobs.run_after <= clock.now
               AND (jobs.deadline_at IS NULL OR jobs.deadline_at > clock.now)
               AND jobs.tenant NOT IN (SELECT name FROM capped)
             ORDER BY jobs.vstart, jobs.id
             LIMIT 1
             FOR UPDATE OF jobs SKIP LOCKED),
        passed AS (
            SELECT jobs.id, jobs.tenant, jobs.vstart, jobs.vfinish
              FROM jobs, turn
             WHERE jobs.state = 'queued' AND jobs.vstart <= (SELECT vstart FROM turn)
               AND (jobs.vstart, jobs.id) < (turn.vstart, turn.id) AND jobs.tenant IN (SELECT name FROM capped)
             FOR UPDATE OF jobs SKIP LOCKED),
        forfeited AS (
            UPDATE jobs SET vstart = back.last + passed_turn.upto - (passed_turn.vfinish - passed_turn.vstart),
                            vfinish = back.last + passed_turn.upto
              FROM (SELECT passed.*, sum(passed.vfinish - passed.vstart)
                                       OVER (PARTITION BY passed.tenant ORDER BY passed.vstart, passed.id) AS upto
                      FROM passed) AS passed_turn,
                   LATERAL (SELECT max(unfinished.vfinish) AS last FROM jobs AS unfinished
                             WHERE unfinished.tenant = passed_turn.tenant
                               AND unfinished.state IN ('queued', 'running')) AS back
             WHERE jobs.id = passed_turn.id AND jobs.id = ANY (ARRAY(SELECT id FROM passed))),
        head AS (
            SELECT jobs.id, jobs.priority, jobs.created_at, \(preferences)
            \(turnTenantsQueue)
             LIMIT $5),
        first_free AS (
            SELECT jobs.id, jobs.vstart, jobs.vfinish, \(preferences)
            \(turnTenantsQueue)
             LIMIT 1
             FOR UPDATE OF jobs SKIP LOCKED),
        preferred AS (
            SELECT jobs.id, jobs.vstart, jobs.vfinish FROM jobs JOIN head ON jobs.id = head.id
             WHERE jobs.state = 'queued' AND jobs.id = ANY (ARRAY(SELECT id FROM head))
             ORDER BY head.priority DESC, head.failed_here, head.other_model, head.created_at, head.id
             LIMIT 1
             FOR UPDATE OF jobs SKIP LOCKED),
        candidate AS (
            SELECT id, vstart, vfinish FROM first_free WHERE NOT failed_here AND NOT other_model
            UNION ALL
            SELECT * FROM preferred
            LIMIT 1),
        swapped AS (
            UPDATE jobs SET vstart = candidate.vstart, vfinish = candidate.vfinish
              FROM turn, candidate
             WHERE jobs.id = turn.id AND turn.id <> candidate.id)
        UPDATE jobs
           SET state = 'running', attempt = attempt + 1, lease_owner = $6, lease_token = lease_token + 1,
               lease_expires_at = clock.now + make_interval(secs => $7), started_at = clock.now, progress_step = 0,
               backend = $3, vstart = turn.vstart, vfinish = turn.vfinish
          FROM candidate, clock, turn
         WHERE jobs.id = candidate.id
        RETURNING jobs.*
        """

    /// What may pass a job over: it just failed on this backend, or it wants a model other than the one loaded.
    static let preferences = """
        (jobs.backend IS NOT DISTINCT FROM $3 AND jobs.attempt > 0
         AND jobs.run_after > clock.window_start) AS failed_here,
        ($4::text IS NOT NULL AND jobs.affinity IS DISTINCT FROM $4
         AND jobs.created_at > clock.window_start) AS other_model
        """

    /// The claimable jobs of the turn's tenant, in priority order.
    private static let turnTenantsQueue = """
          FROM jobs, clock
         WHERE jobs.tenant = (SELECT tenant FROM turn) AND jobs.state = 'queued' AND jobs.run_after <= clock.now
           AND (jobs.deadline_at IS NULL OR jobs.deadline_at > clock.now)
         ORDER BY jobs.priority DESC, jobs.created_at, jobs.id
        """

    /// The function's body: a batch's turns at once when they allow it (``BatchClaimSQL``), then one turn at a time
    /// (``turnSQL``) until the claim has `limit` jobs or a turn finds none. Each statement of a volatile function
    /// sees the rows the ones before it changed, so a turn never takes a job an earlier turn took, and the caps
    /// count the jobs it claimed.
    static let functionBody = """
        DECLARE
            v_claimed int8 := 0;
            v_taken int8;
        \(BatchClaimSQL.declarations)
        BEGIN
            IF $8 > 1 THEN
        \(BatchClaimSQL.block)
            END IF;
            WHILE v_claimed < $8 LOOP
                RETURN QUERY \(turnSQL);
                GET DIAGNOSTICS v_taken = ROW_COUNT;
                EXIT WHEN v_taken = 0;
                v_claimed := v_claimed + v_taken;
            END LOOP;
        END
        """

    /// How the function runs.
    ///
    /// - `enable_sort = off`: every order the claim reads has an index, so a sort of queued jobs means the planner
    ///   misjudged the queue. Before autovacuum first analyzes `jobs` (up to a minute on a new database, however
    ///   many jobs arrive meanwhile), PostgreSQL guessed one queued job per tenant, read the tenant's whole queue
    ///   through `jobs_tenant_unfinished` and sorted it on every claim: 40,000 jobs drained at 741-1,001 jobs/s
    ///   instead of about 2,200. The sorts the claim needs (a few locked rows, in memory) have no index to lose to
    ///   and stay.
    /// - `jit = off`: a claim touches a handful of rows, and compiling it costs far more than it saves. Each sort
    ///   left adds 10^10 to the plan's estimated cost, far past the JIT thresholds: one claim took 2.2 s, most of it
    ///   in LLVM. A deep queue's plain estimates would cross them too.
    /// - `plan_cache_mode = force_generic_plan`: the function's statements are planned once per connection, without
    ///   their values, and that plan is the one `PostgresGenericPlanTests` holds to the indexes. Left to choose,
    ///   PostgreSQL plans the first five calls of every connection for their values (3.6–4.6 ms each on an empty
    ///   queue, against 0.4–0.9 ms on the kept plan, `psql` on this machine), and may keep doing so whenever a
    ///   plan made for the values looks cheaper than the generic one: which plan a claim ran on depended on the
    ///   statistics of the moment, as the claim before the first analyze showed.
    static let functionAttributes =
        "LANGUAGE plpgsql VOLATILE SET enable_sort = off SET jit = off SET plan_cache_mode = force_generic_plan"

    /// The function's name carries a digest of its attributes and body: processes of different versions sharing a
    /// database each call the claim they were built with, and a changed claim never needs a migration.
    static let functionName =
        "darkroom_claim_"
        + SHA256.hash(data: Data((functionAttributes + functionBody).utf8)).prefix(8)
        .map { String(format: "%02x", $0) }.joined()

    /// Creates the function (or replaces it with the same text); ``PostgresJobStore/migrate()`` runs it.
    static let createFunction = """
        CREATE OR REPLACE FUNCTION \(functionName)(timestamptz, float8, text, text, int8, text, float8, int8)
        RETURNS SETOF jobs \(functionAttributes) AS $claim$
        \(functionBody)
        $claim$
        """

    static let sql = """
        SELECT \(Job.postgresColumns()) FROM \(functionName)($1, $2, $3, $4, $5, $6, $7, $8)
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .timestamptz, .float8, .text, .text, .int8, .text, .float8, .int8,
    ]

    var params: ClaimParams

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(params.now)
        bindings.append(params.preferenceWindow.seconds)
        bindings.append(params.backend)
        bindings.append(params.affinity?.key)
        bindings.append(max(params.preferenceDepth, 1))
        bindings.append(params.owner)
        bindings.append(params.leaseDuration.seconds)
        bindings.append(params.limit)
        return bindings
    }
}
