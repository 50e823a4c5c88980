-- Issue 15: callers' keys to the gateway. Only a keyed hash of each key is kept (HMAC-SHA256 with the store's
-- subject_key, see 0012), never the key. A revoked key stays listed, with when it was revoked.
CREATE TABLE api_keys (
    id                 TEXT    NOT NULL PRIMARY KEY,
    app                TEXT    NOT NULL,
    environment        TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    key_hash           TEXT    NOT NULL UNIQUE,   -- 64 hex digits
    rpm                INTEGER,                   -- requests per minute; NULL: no limit
    budget_usd_per_day REAL,                      -- NULL: no limit
    created_at         TEXT    NOT NULL,
    created_by         TEXT    NOT NULL,
    revoked_at         TEXT
);

-- One working key per name and app; a revoked key's name can be used again.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (app, name) WHERE revoked_at IS NULL;

-- Which key a request came with (NULL: anonymous, auth off).
ALTER TABLE traces ADD COLUMN key_id TEXT;
ALTER TABLE traces ADD COLUMN key_name TEXT;
CREATE INDEX traces_by_key_time ON traces (app, key_id, started_at);

-- Which key gave the feedback: one vote per trace and key (a later vote replaces the earlier).
ALTER TABLE trace_feedback ADD COLUMN key_id TEXT;
