-- SQLite has one process: its store publishes every change in process, so there is nothing to store.
-- (PostgreSQL's 0002_notify announces changes to the other processes of a cluster.)
SELECT 1;
