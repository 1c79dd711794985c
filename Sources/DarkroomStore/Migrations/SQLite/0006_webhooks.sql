-- Webhooks: a job may name a URL and the events to deliver there (a JSON array such as ["job.succeeded"]).
ALTER TABLE jobs ADD COLUMN webhook_url TEXT;
ALTER TABLE jobs ADD COLUMN webhook_events TEXT;
-- One row per event to deliver (the outbox), written by the trigger below in the same transaction as the state
-- change, so no event is lost between a commit and its delivery. Times are Unix seconds (REAL).
CREATE TABLE webhook_deliveries (
    id               TEXT    PRIMARY KEY NOT NULL,
    job_id           TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    event            TEXT    NOT NULL,
    url              TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       REAL    NOT NULL,
    next_attempt_at  REAL    NOT NULL,
    lease_until      REAL,
    delivered_at     REAL,
    last_error       TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (job_id);
-- Every attempt of a delivery, for GET /v1/jobs/{id}/deliveries.
CREATE TABLE webhook_attempts (
    delivery_id      TEXT    NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt          INTEGER NOT NULL,
    at               REAL    NOT NULL,
    status_code      INTEGER,
    error            TEXT,
    duration_seconds REAL    NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
-- A job entering a state its webhook subscribes to gets a pending delivery, due at once.
CREATE TRIGGER jobs_webhook AFTER UPDATE OF state ON jobs FOR EACH ROW WHEN NEW.webhook_url IS NOT NULL AND NEW.state <> OLD.state AND instr(NEW.webhook_events, '"job.' || NEW.state || '"') > 0 BEGIN INSERT INTO webhook_deliveries (id, job_id, event, url, state, created_at, next_attempt_at) VALUES ('msg_' || lower(hex(randomblob(16))), NEW.id, 'job.' || NEW.state, NEW.webhook_url, 'pending', coalesce(NEW.finished_at, NEW.started_at), coalesce(NEW.finished_at, NEW.started_at)); END;
