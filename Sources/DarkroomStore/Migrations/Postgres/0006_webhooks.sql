-- Webhooks: a job may name a URL and the events to deliver there (a JSON array such as ["job.succeeded"]).
ALTER TABLE jobs ADD COLUMN webhook_url text;
ALTER TABLE jobs ADD COLUMN webhook_events text;
-- One row per event to deliver (the outbox), written by the trigger below in the same transaction as the state
-- change, so no event is lost between a commit and its delivery.
CREATE TABLE webhook_deliveries (
    id               text        PRIMARY KEY NOT NULL,
    job_id           text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    event            text        NOT NULL,
    url              text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    lease_until      timestamptz,
    delivered_at     timestamptz,
    last_error       text
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (job_id);
-- Every attempt of a delivery, for GET /v1/jobs/{id}/deliveries.
CREATE TABLE webhook_attempts (
    delivery_id      text        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt          integer     NOT NULL,
    at               timestamptz NOT NULL,
    status_code      integer,
    error            text,
    duration_seconds double precision NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
-- A job entering a state its webhook subscribes to gets a pending delivery, due at once.
CREATE FUNCTION darkroom_webhook_job() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.webhook_url IS NOT NULL AND NEW.state IS DISTINCT FROM OLD.state AND NEW.webhook_events::jsonb ? ('job.' || NEW.state) THEN INSERT INTO webhook_deliveries (id, job_id, event, url, state, created_at, next_attempt_at) VALUES ('msg_' || replace(gen_random_uuid()::text, '-', ''), NEW.id, 'job.' || NEW.state, NEW.webhook_url, 'pending', coalesce(NEW.finished_at, NEW.started_at, now()), coalesce(NEW.finished_at, NEW.started_at, now())); END IF; RETURN NULL; END $$;
CREATE TRIGGER jobs_webhook AFTER UPDATE OF state ON jobs FOR EACH ROW EXECUTE FUNCTION darkroom_webhook_job();
