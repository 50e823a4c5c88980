-- Rollouts: one row per canary rollout, moved through its state machine by transitions that commit
-- together with the environment's compare-and-swap (so routing and rollout state never disagree).
CREATE TABLE rollouts (
    id                  TEXT    NOT NULL PRIMARY KEY,
    app                 TEXT    NOT NULL,
    environment         TEXT    NOT NULL,
    release_id          TEXT    NOT NULL,   -- the canary
    baseline_release_id TEXT    NOT NULL,   -- the stable it is compared with
    plan_json           TEXT    NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('progressing', 'paused', 'promoted', 'rolled_back', 'aborted')),
    step_index          INTEGER NOT NULL,
    step_started_at     TEXT    NOT NULL,
    step_baseline_json  TEXT    NOT NULL,   -- cumulative arm sums when the step began
    seed                TEXT    NOT NULL,
    started_at          TEXT    NOT NULL,
    started_by          TEXT    NOT NULL,
    reason              TEXT,
    forced              INTEGER NOT NULL DEFAULT 0,
    ended_at            TEXT,
    end_reason          TEXT,
    version             INTEGER NOT NULL
);

-- At most one active rollout per environment.
CREATE UNIQUE INDEX rollouts_one_active ON rollouts (app, environment) WHERE state IN ('progressing', 'paused');
CREATE INDEX rollouts_by_env ON rollouts (app, environment, started_at);

-- Every decision with its evidence: append-only.
CREATE TABLE rollout_decisions (
    rollout_id      TEXT    NOT NULL REFERENCES rollouts (id),
    sequence        INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    step_index      INTEGER NOT NULL,
    weight          REAL    NOT NULL,
    actor           TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    canary_requests INTEGER NOT NULL DEFAULT 0,
    stable_requests INTEGER NOT NULL DEFAULT 0,
    evidence_json   TEXT,
    time            TEXT    NOT NULL,
    PRIMARY KEY (rollout_id, sequence)
);

CREATE TRIGGER rollout_decisions_no_update BEFORE UPDATE ON rollout_decisions
BEGIN SELECT RAISE(ABORT, 'rollout decisions are append-only'); END;
CREATE TRIGGER rollout_decisions_no_delete BEFORE DELETE ON rollout_decisions
BEGIN SELECT RAISE(ABORT, 'rollout decisions are append-only'); END;

-- One controller acts on an environment at a time: whoever holds an unexpired lease.
CREATE TABLE rollout_leases (
    app         TEXT NOT NULL,
    environment TEXT NOT NULL,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (app, environment)
);
