/// A batch claim's turns taken at once, inside the claim function (``ClaimStatement/functionBody``), when no turn
/// needs more than the fair order and priorities to settle: one scan of the fair order and one of each tenant's
/// queue, instead of two scans a turn (``ClaimStatement/turnSQL``).
///
/// The claimable jobs with the earliest virtual starts that no concurrent claim holds, as many as the limit, are
/// the batch's turns. Each tenant's turns go to its first jobs in priority order that no concurrent claim holds:
/// the k-th turn (by virtual start) to the k-th job, which takes that turn's place in the fair order. A turn whose
/// own job is not among them takes, in order, the places those jobs leave, so each tenant keeps the same places,
/// as when the turns are taken one by one.
///
/// It claims nothing, and the function takes the turns one at a time, when a preference would pass one of those
/// jobs over (it just failed on this backend, or wants another model) or one of the turns' tenants has a cap on
/// running jobs. The rows it locked then stay locked by the claim, which takes them in the same order.
///
/// Each statement is simple enough that the plan PostgreSQL caches for every call does not depend on the limit or
/// on the number of tenants: rows are looked up by primary key (`id = ANY`), and each tenant's queue is read
/// through its own index. One statement with all of it planned a hash join over every queued row once PostgreSQL
/// switched to its generic plan (1.7 s a claim with 30,000 queued) and cost 4 ms to plan each time before that.
enum BatchClaimSQL {
    /// The variables the block uses, for the function's `DECLARE`.
    static let declarations = """
            v_turns text[];
            v_takers text[] := '{}';
            v_tenant text;
            v_tenant_turns int8;
            v_tenant_takers text[];
            v_passed_over bool;
            v_holds bool := true;
        """

    /// Locks the turns, finds their takers, and claims them when nothing passes one over (sets `v_claimed`).
    static let block = """
                SELECT coalesce(array_agg(turn.id ORDER BY turn.vstart, turn.id), '{}') INTO v_turns
                  FROM (SELECT jobs.id, jobs.vstart FROM jobs
                         WHERE jobs.state = 'queued' AND jobs.run_after <= coalesce($1, now())
                           AND (jobs.deadline_at IS NULL OR jobs.deadline_at > coalesce($1, now()))
                         ORDER BY jobs.vstart, jobs.id
                         LIMIT $8
                         FOR UPDATE OF jobs SKIP LOCKED) AS turn;
                IF EXISTS (SELECT 1 FROM tenants
                            WHERE tenants.max_running IS NOT NULL
                              AND tenants.name IN (SELECT jobs.tenant FROM jobs WHERE jobs.id = ANY (v_turns))) THEN
                    v_holds := false;
                END IF;
                FOR v_tenant, v_tenant_turns IN
                    SELECT jobs.tenant, count(*) FROM jobs WHERE jobs.id = ANY (v_turns) GROUP BY jobs.tenant
                LOOP
                    EXIT WHEN NOT v_holds;
                    \(takers)
                    v_holds := NOT coalesce(v_passed_over, true)
                               AND cardinality(v_tenant_takers) = v_tenant_turns;
                    v_takers := v_takers || v_tenant_takers;
                END LOOP;
                IF v_holds AND cardinality(v_turns) > 0 THEN
                    RETURN QUERY \(claim);
                    GET DIAGNOSTICS v_claimed = ROW_COUNT;
                END IF;
        """

    /// The tenant's first `v_tenant_turns` claimable jobs in priority order that no concurrent claim holds, locked,
    /// into `v_tenant_takers`; `v_passed_over` when a preference passes one of them over.
    static let takers = """
        WITH clock AS (SELECT coalesce($1, now()) AS now,
                                  coalesce($1, now()) - make_interval(secs => $2) AS window_start)
                    SELECT array_agg(queue.id ORDER BY queue.priority DESC, queue.created_at, queue.id),
                           bool_or(queue.failed_here OR queue.other_model)
                      INTO v_tenant_takers, v_passed_over
                      FROM (SELECT jobs.id, jobs.priority, jobs.created_at, \(ClaimStatement.preferences)
                              FROM jobs, clock
                             WHERE jobs.tenant = v_tenant AND jobs.state = 'queued' AND jobs.run_after <= clock.now
                               AND (jobs.deadline_at IS NULL OR jobs.deadline_at > clock.now)
                             ORDER BY jobs.priority DESC, jobs.created_at, jobs.id
                             LIMIT v_tenant_turns
                             FOR UPDATE OF jobs SKIP LOCKED) AS queue;
        """

    /// The takers claimed, each in its turn's place; the turns left behind take the places the takers leave.
    static let claim = """
        WITH turn AS (
                        SELECT jobs.id, jobs.tenant, jobs.vstart, jobs.vfinish,
                               row_number() OVER (PARTITION BY jobs.tenant ORDER BY jobs.vstart, jobs.id) AS k
                          FROM jobs WHERE jobs.id = ANY (v_turns)),
                    taker AS (
                        SELECT jobs.id, jobs.tenant, jobs.vstart, jobs.vfinish,
                               row_number() OVER (PARTITION BY jobs.tenant
                                                  ORDER BY jobs.priority DESC, jobs.created_at, jobs.id) AS k
                          FROM jobs WHERE jobs.id = ANY (v_takers)),
                    left_behind AS (
                        SELECT turn.id, turn.tenant,
                               row_number() OVER (PARTITION BY turn.tenant ORDER BY turn.vstart, turn.id) AS k
                          FROM turn WHERE turn.id <> ALL (v_takers)),
                    vacated AS (
                        SELECT taker.tenant, taker.vstart, taker.vfinish,
                               row_number() OVER (PARTITION BY taker.tenant ORDER BY taker.vstart, taker.id) AS k
                          FROM taker WHERE taker.id <> ALL (v_turns)),
                    moved AS (
                        UPDATE jobs SET vstart = vacated.vstart, vfinish = vacated.vfinish
                          FROM left_behind JOIN vacated USING (tenant, k)
                         WHERE jobs.id = left_behind.id AND jobs.id = ANY (v_turns))
                    UPDATE jobs
                       SET state = 'running', attempt = attempt + 1, lease_owner = $6, lease_token = lease_token + 1,
                           lease_expires_at = coalesce($1, now()) + make_interval(secs => $7),
                           started_at = coalesce($1, now()), progress_step = 0, backend = $3,
                           vstart = turn.vstart, vfinish = turn.vfinish
                      FROM taker JOIN turn USING (tenant, k)
                     WHERE jobs.id = taker.id AND jobs.id = ANY (v_takers)
                    RETURNING jobs.*
        """
}
