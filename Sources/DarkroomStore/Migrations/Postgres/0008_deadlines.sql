-- Deadlines: a job may say until when its result is useful (deadline_at, NULL: never). Past it the job ends
-- 'expired' with error_code 'deadline_exceeded': a queued job is never started, a running one is stopped.
ALTER TABLE jobs ADD COLUMN deadline_at timestamptz;
ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_check
    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled', 'expired'));
-- A job is terminal exactly when it has finished (0001's first table check, named by PostgreSQL).
ALTER TABLE jobs DROP CONSTRAINT jobs_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_terminal_check
    CHECK ((state IN ('succeeded', 'failed', 'canceled', 'expired')) = (finished_at IS NOT NULL));
-- Failed and expired jobs carry an error; no other state does (0001's third table check).
ALTER TABLE jobs DROP CONSTRAINT jobs_check2;
ALTER TABLE jobs ADD CONSTRAINT jobs_error_check CHECK ((state IN ('failed', 'expired')) = (error_code IS NOT NULL));
-- The sweeper's scan: unfinished jobs by deadline, so overdue ones are found without reading the queue.
CREATE INDEX jobs_deadlines ON jobs (deadline_at) WHERE state IN ('queued', 'running') AND deadline_at IS NOT NULL;
