-- Issue 20: shadow traffic (the SQLite store's 0020). Numbered 0020 so that migrations other branches add in
-- between keep their numbers; the migrator applies every version not yet recorded, in order, so a gap is fine.

-- The active shadow of an environment, changed with the rest of its state by compare-and-swap.
ALTER TABLE environments ADD COLUMN shadow_id text COLLATE "C";
ALTER TABLE environments ADD COLUMN shadow_release_id text COLLATE "C";
ALTER TABLE environments ADD COLUMN shadow_rate double precision CHECK (shadow_rate IS NULL OR (shadow_rate > 0 AND shadow_rate <= 1));
ALTER TABLE environments ADD COLUMN shadow_max_cost_usd double precision;
ALTER TABLE environments ADD COLUMN shadow_max_requests bigint;

-- One row per shadow pair: the stable trace the caller got and the candidate's trace (arm 'shadow') on the same
-- input, with the values the paired judge reads. Immutable.
CREATE TABLE shadow_pairs (
    seq                  bigint GENERATED ALWAYS AS IDENTITY,   -- insertion order (SQLite's rowid)
    candidate_trace_id   text COLLATE "C"  NOT NULL PRIMARY KEY,
    shadow_id            text COLLATE "C"  NOT NULL,
    app                  text COLLATE "C"  NOT NULL,
    environment          text COLLATE "C"  NOT NULL,
    stable_trace_id      text COLLATE "C"  NOT NULL,
    stable_release_id    text COLLATE "C"  NOT NULL,
    candidate_release_id text COLLATE "C"  NOT NULL,
    created_at           text COLLATE "C"  NOT NULL,   -- ISO 8601 UTC, fixed width
    grp                  integer           NOT NULL,
    stable_error         boolean           NOT NULL,
    candidate_error      boolean           NOT NULL,
    stable_latency_ms    double precision,
    candidate_latency_ms double precision,
    stable_cost_usd      double precision  NOT NULL,
    candidate_cost_usd   double precision  NOT NULL,
    stable_passed        boolean,
    candidate_passed     boolean,
    stable_score         double precision,
    candidate_score      double precision,
    candidate_preference double precision
);

CREATE INDEX shadow_pairs_by_shadow ON shadow_pairs (shadow_id, created_at, seq);

CREATE TRIGGER shadow_pairs_no_update BEFORE UPDATE ON shadow_pairs
    FOR EACH ROW EXECUTE FUNCTION refuse_change('shadow pairs are immutable');
