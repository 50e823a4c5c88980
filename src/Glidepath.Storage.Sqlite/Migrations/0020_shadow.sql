-- Issue 20: shadow traffic. Numbered 0020 so that migrations other branches add in between (0014, 0015…) keep
-- their numbers; the migrator applies any version not yet recorded, in order, so a gap is fine.

-- The active shadow of an environment, changed with the rest of its state by compare-and-swap.
ALTER TABLE environments ADD COLUMN shadow_id TEXT;
ALTER TABLE environments ADD COLUMN shadow_release_id TEXT;
ALTER TABLE environments ADD COLUMN shadow_rate REAL CHECK (shadow_rate IS NULL OR (shadow_rate > 0 AND shadow_rate <= 1));
ALTER TABLE environments ADD COLUMN shadow_max_cost_usd REAL;
ALTER TABLE environments ADD COLUMN shadow_max_requests INTEGER;

-- One row per shadow pair: the stable trace the caller got and the candidate's trace (arm 'shadow') on the same
-- input, with the values the paired judge reads. Immutable.
CREATE TABLE shadow_pairs (
    candidate_trace_id   TEXT    NOT NULL PRIMARY KEY,
    shadow_id            TEXT    NOT NULL,
    app                  TEXT    NOT NULL,
    environment          TEXT    NOT NULL,
    stable_trace_id      TEXT    NOT NULL,
    stable_release_id    TEXT    NOT NULL,
    candidate_release_id TEXT    NOT NULL,
    created_at           TEXT    NOT NULL,
    grp                  INTEGER NOT NULL,
    stable_error         INTEGER NOT NULL,
    candidate_error      INTEGER NOT NULL,
    stable_latency_ms    REAL,
    candidate_latency_ms REAL,
    stable_cost_usd      REAL    NOT NULL,
    candidate_cost_usd   REAL    NOT NULL,
    stable_passed        INTEGER,
    candidate_passed     INTEGER,
    stable_score         REAL,
    candidate_score      REAL,
    candidate_preference REAL
);

CREATE INDEX shadow_pairs_by_shadow ON shadow_pairs (shadow_id, created_at);

CREATE TRIGGER shadow_pairs_no_update BEFORE UPDATE ON shadow_pairs
BEGIN
    SELECT RAISE(ABORT, 'shadow pairs are immutable');
END;
