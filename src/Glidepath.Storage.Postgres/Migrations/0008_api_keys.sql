-- Issue 15: callers' keys to the gateway (the SQLite store's 0013). Only a keyed hash of each key is kept
-- (HMAC-SHA256 with the store's subject_key, see 0007), never the key. A revoked key stays listed, with when it
-- was revoked.
CREATE TABLE api_keys (
    seq                bigint GENERATED ALWAYS AS IDENTITY,   -- creation order (SQLite's rowid)
    id                 text COLLATE "C"  NOT NULL PRIMARY KEY,
    app                text COLLATE "C"  NOT NULL,
    environment        text COLLATE "C"  NOT NULL,
    name               text COLLATE "C"  NOT NULL,
    key_hash           text COLLATE "C"  NOT NULL UNIQUE,   -- 64 hex digits
    rpm                integer,                              -- requests per minute; NULL: no limit
    budget_usd_per_day double precision,                     -- NULL: no limit
    created_at         text COLLATE "C"  NOT NULL,           -- ISO 8601 UTC, fixed width
    created_by         text COLLATE "C"  NOT NULL,
    revoked_at         text COLLATE "C"
);

-- One working key per name and app; a revoked key's name can be used again.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (app, name) WHERE revoked_at IS NULL;

-- Which key a request came with (NULL: anonymous, auth off).
ALTER TABLE traces ADD COLUMN key_id text COLLATE "C";
ALTER TABLE traces ADD COLUMN key_name text COLLATE "C";
CREATE INDEX traces_by_key_time ON traces (app, key_id, started_at);

-- Which key gave the feedback: one vote per trace and key (a later vote replaces the earlier).
ALTER TABLE trace_feedback ADD COLUMN key_id text COLLATE "C";
