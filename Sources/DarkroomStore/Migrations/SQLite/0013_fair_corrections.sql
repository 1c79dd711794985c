-- The fair share corrected with measured GPU time (docs/tenants.md, "Fair share"). A job is queued with its
-- predicted cost; when it completes, what it took beyond that (or short of it), divided by its tenant's weight, is
-- added to its tenant's pending correction here. Once that reaches the length of one of the tenant's queued turns,
-- the turn moves: its first to the end of its work (the tenant owes), or its last to the front (it is owed). A
-- tenant with no unfinished work keeps nothing, as its new jobs start afresh.
CREATE TABLE fair_corrections (
    tenant  TEXT PRIMARY KEY NOT NULL,
    pending REAL NOT NULL
);
