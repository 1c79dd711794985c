-- Model affinity: the model and LoRAs a job needs (ModelAffinity.key), so a slot can prefer jobs its backend
-- has loaded. Jobs from before this migration get '' and simply match no backend.
ALTER TABLE jobs ADD COLUMN affinity TEXT NOT NULL DEFAULT '';
-- The backends of each worker (JSON array: id, kind, breaker state, loaded model, GPU memory) for /v1/queue.
ALTER TABLE workers ADD COLUMN backends TEXT NOT NULL DEFAULT '[]';
