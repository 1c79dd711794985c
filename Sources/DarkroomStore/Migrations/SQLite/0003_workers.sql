-- Worker processes announce their slots here, so any gateway knows the farm's capacity.
CREATE TABLE workers (
    id          TEXT    PRIMARY KEY NOT NULL,
    slots       INTEGER NOT NULL CHECK (slots >= 0),
    busy_slots  INTEGER NOT NULL CHECK (busy_slots >= 0),
    seen_at     REAL    NOT NULL
);
