-- Weighted-fair claims (start-time fair queuing). Each job carries a virtual start and finish, set when it is
-- queued: it starts where its tenant's unfinished work ends or at the queue's virtual time, whichever is later,
-- and finishes its cost (reference portraits: 1024x1024, 8 steps, per image) divided by its tenant's weight
-- later. The claim gives the next turn to the queued job with the earliest virtual start, and hands that turn to
-- its tenant's job of highest priority. Jobs queued before this migration share the start 0.
ALTER TABLE jobs ADD COLUMN vstart REAL NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN vfinish REAL NOT NULL DEFAULT 0;
-- The next turn, at any depth and with any number of tenants.
CREATE INDEX jobs_fair_turn ON jobs (vstart, id) WHERE state = 'queued';
-- A tenant's queued jobs in the order its turns take them.
CREATE INDEX jobs_tenant_claimable ON jobs (tenant, priority DESC, created_at, id) WHERE state = 'queued';
-- Where a tenant's unfinished work ends, and the virtual time of the work under way.
CREATE INDEX jobs_tenant_vfinish ON jobs (tenant, vfinish) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_running_vstart ON jobs (vstart) WHERE state = 'running';
-- A tenant's finished jobs by time: its GPU seconds today, for its daily quota.
CREATE INDEX jobs_tenant_finished ON jobs (tenant, finished_at) WHERE finished_at IS NOT NULL;
