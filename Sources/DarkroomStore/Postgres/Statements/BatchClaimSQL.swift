/// A batch claim's turns taken at once, inside the claim function (``ClaimStatement/functionBody``), when no turn
/// needs more than the fair order and priorities to settle: one scan of the fair order and one of each tenant's
/// queue, instead of two scans a turn (``ClaimStatement/turnSQL``).
///
/// The claimable jobs with the earliest virtual starts that no concurrent claim holds, as many as the limit, are
/// the batch's turns; each tenant's turns go to its first jobs in priority order that no concurrent claim holds
/// (its takers). Which job ends in which place is found by replaying the turns one by one in memory, on those rows
/// alone (``replay``): each turn, as in ``turnSQL``, trades places with the job that takes it. So every job ends
/// where single claims would put it, and the k-th taker in the k-th turn's place.
///
/// It is skipped while any tenant has a cap on running jobs: a capped tenant forfeits the turns a claim passes
/// over, even those of jobs not yet due, which only the turns one by one see. It claims nothing, and the function
/// takes the turns one at a time, when a preference would pass one of those jobs over (it just failed on this
/// backend, or wants another model). The rows it locked then stay locked until the claim commits, so concurrent
/// claims skip them; the turns one by one take them or pass them over as they would have.
///
/// Each statement is simple enough that the plan PostgreSQL caches for every call does not depend on the limit or
/// on the number of tenants: rows are looked up by primary key (`id = ANY`), and each tenant's queue is read
/// through its own index. One statement with all of it planned a hash join over every queued row once PostgreSQL
/// switched to its generic plan (1.7 s a claim with 30,000 queued) and cost 4 ms to plan each time before that.
enum BatchClaimSQL {
    /// The variables the block uses, for the function's `DECLARE`.
    static let declarations = """
            v_turns text[];
            v_turn_tenants text[];
            v_takers text[] := '{}';
            v_tenant text;
            v_tenant_turns int8;
            v_tenant_takers text[];
            v_passed_over bool;
            v_holds bool := true;
            v_ids text[];
            v_tenants text[];
            v_vstarts float8[];
            v_vfinishes float8[];
            v_is_taken bool[];
            v_taker_rows int[];
            v_k int;
            v_i int;
            v_turn int;
            v_taker int;
            v_place float8;
            v_place_end float8;
        """

    /// Locks the turns, finds their takers, and claims them when nothing passes one over (sets `v_claimed`).
    static let block = """
                IF EXISTS (SELECT 1 FROM tenants WHERE tenants.max_running IS NOT NULL) THEN
                    v_holds := false;
                ELSE
                    SELECT coalesce(array_agg(turn.id ORDER BY turn.vstart, turn.id), '{}'),
                           coalesce(array_agg(turn.tenant), '{}')
                      INTO v_turns, v_turn_tenants
                      FROM (SELECT jobs.id, jobs.tenant, jobs.vstart FROM jobs
                             WHERE jobs.state = 'queued' AND jobs.run_after <= coalesce($1, now())
                               AND (jobs.deadline_at IS NULL OR jobs.deadline_at > coalesce($1, now()))
                             ORDER BY jobs.vstart, jobs.id
                             LIMIT $8
                             FOR UPDATE OF jobs SKIP LOCKED) AS turn;
                    FOR v_tenant, v_tenant_turns IN
                        SELECT tenant, count(*) FROM unnest(v_turn_tenants) AS tenant GROUP BY tenant
                    LOOP
                        EXIT WHEN NOT v_holds;
                        \(takers)
                        v_holds := NOT coalesce(v_passed_over, true)
                                   AND cardinality(v_tenant_takers) = v_tenant_turns;
                        v_takers := v_takers || v_tenant_takers;
                    END LOOP;
                    IF v_holds AND cardinality(v_turns) > 0 THEN
                        \(replay)
                        \(move);
                        RETURN QUERY \(claim);
                        GET DIAGNOSTICS v_claimed = ROW_COUNT;
                    END IF;
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

    /// The turns replayed one by one on the rows the batch locked, in memory: each turn belongs to the untaken row
    /// with the earliest place (virtual start, then id), its tenant's next taker takes it, and the two trade places.
    /// Only those rows can hold a turn, since places move only among them and every other queued row's is later.
    /// The takers' rows are found once (`v_taker_rows`, in priority order), so a turn costs two passes over the
    /// rows: a claim of 1,000 took 6 s when each turn looked every taker up again.
    static let replay = """
        SELECT array_agg(jobs.id), array_agg(jobs.tenant), array_agg(jobs.vstart), array_agg(jobs.vfinish)
                      INTO v_ids, v_tenants, v_vstarts, v_vfinishes
                      FROM jobs WHERE jobs.id = ANY (v_turns || v_takers);
                    v_is_taken := array_fill(false, ARRAY[cardinality(v_ids)]);
                    SELECT array_agg(array_position(v_ids, taker.id) ORDER BY taker.n) INTO v_taker_rows
                      FROM unnest(v_takers) WITH ORDINALITY AS taker(id, n);
                    FOR v_k IN 1..cardinality(v_turns) LOOP
                        v_turn := NULL;
                        FOR v_i IN 1..cardinality(v_ids) LOOP
                            IF NOT v_is_taken[v_i] AND (v_turn IS NULL
                                OR (v_vstarts[v_i], v_ids[v_i]) < (v_vstarts[v_turn], v_ids[v_turn])) THEN
                                v_turn := v_i;
                            END IF;
                        END LOOP;
                        v_taker := NULL;
                        FOREACH v_i IN ARRAY v_taker_rows LOOP
                            IF v_tenants[v_i] = v_tenants[v_turn] AND NOT v_is_taken[v_i] THEN
                                v_taker := v_i;
                                EXIT;
                            END IF;
                        END LOOP;
                        v_place := v_vstarts[v_turn];
                        v_place_end := v_vfinishes[v_turn];
                        v_vstarts[v_turn] := v_vstarts[v_taker];
                        v_vfinishes[v_turn] := v_vfinishes[v_taker];
                        v_vstarts[v_taker] := v_place;
                        v_vfinishes[v_taker] := v_place_end;
                        v_is_taken[v_taker] := true;
                    END LOOP;
        """

    /// The rows left queued whose places the replay moved.
    static let move = """
        UPDATE jobs SET vstart = place.vstart, vfinish = place.vfinish
                      FROM unnest(v_ids, v_vstarts, v_vfinishes, v_is_taken) AS place(id, vstart, vfinish, taken)
                     WHERE jobs.id = ANY (v_ids) AND jobs.id = place.id AND NOT place.taken
                       AND (jobs.vstart, jobs.vfinish) IS DISTINCT FROM (place.vstart, place.vfinish)
        """

    /// The takers claimed, each in the place of the turn it took.
    static let claim = """
        UPDATE jobs
                       SET state = 'running', attempt = attempt + 1, lease_owner = $6, lease_token = lease_token + 1,
                           lease_expires_at = coalesce($1, now()) + make_interval(secs => $7),
                           started_at = coalesce($1, now()), progress_step = 0, backend = $3,
                           vstart = place.vstart, vfinish = place.vfinish
                      FROM unnest(v_ids, v_vstarts, v_vfinishes, v_is_taken) AS place(id, vstart, vfinish, taken)
                     WHERE jobs.id = ANY (v_takers) AND jobs.id = place.id AND place.taken
                    RETURNING jobs.*
        """
}
