-- Idempotency-Key on submit: the key a client sent with the job and a digest of its request body. A key names
-- at most one job per tenant; keys older than 24 hours are cleared when they are used again.
ALTER TABLE jobs ADD COLUMN idempotency_key text;
ALTER TABLE jobs ADD COLUMN idempotency_fingerprint text;
CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
