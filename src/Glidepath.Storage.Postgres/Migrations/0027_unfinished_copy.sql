-- A 'glidepath store copy' into this store that has not finished (the SQLite store's 0027; docs/stores.md, "Moving from
-- SQLite"): the copy commits the row before its one data transaction, which deletes it as it commits (a new store gets
-- it in the statement that writes its identity). A store that still has it was cut short (a kill, a lost connection)
-- and is empty but for a fresh identity, so every open but a store copy's refuses it (UnfinishedCopy). At most one row.
CREATE TABLE unfinished_copy (
    id         integer PRIMARY KEY CHECK (id = 1),
    source     text COLLATE "C" NOT NULL,   -- the store copied from, its password masked
    started_at text COLLATE "C" NOT NULL    -- ISO 8601 UTC
);
