-- A 'glidepath store copy' into this store that has not finished (docs/stores.md, "Moving from SQLite"): the copy
-- commits the row before its one data transaction, which deletes it as it commits. A store that still has it was cut
-- short (a kill, a lost connection) and is empty but for a fresh identity, so every open but a store copy's refuses it
-- (UnfinishedCopy). At most one row. Only a PostgreSQL store is a copy's target today; the table is here too so that
-- both stores have the same tables and apply the same rule on open.
CREATE TABLE unfinished_copy (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    source     TEXT    NOT NULL,   -- the store copied from, its password masked
    started_at TEXT    NOT NULL    -- ISO 8601 UTC
);
