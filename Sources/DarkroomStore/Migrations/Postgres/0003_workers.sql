-- Worker processes announce their slots here, so any gateway knows the farm's capacity.
CREATE TABLE workers (
    id          text        PRIMARY KEY,
    slots       integer     NOT NULL CHECK (slots >= 0),
    busy_slots  integer     NOT NULL CHECK (busy_slots >= 0),
    seen_at     timestamptz NOT NULL
);
