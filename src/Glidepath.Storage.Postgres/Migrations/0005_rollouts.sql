-- Rollouts: moved through their state machine by transitions that commit together with the environment's
-- compare-and-swap (so routing and rollout state never disagree).
CREATE TABLE rollouts (
    seq                 bigint GENERATED ALWAYS AS IDENTITY,
    id                  text COLLATE "C"    NOT NULL PRIMARY KEY,
    app                 text COLLATE "C"    NOT NULL,
    environment         text COLLATE "C"    NOT NULL,
    release_id          text COLLATE "C"    NOT NULL,
    baseline_release_id text COLLATE "C"    NOT NULL,
    plan_json           text COLLATE "C"    NOT NULL,
    state               text COLLATE "C"    NOT NULL CHECK (state IN ('progressing', 'paused', 'promoted', 'rolled_back', 'aborted')),
    step_index          integer NOT NULL,
    step_started_at     text COLLATE "C"    NOT NULL,
    step_baseline_json  text COLLATE "C"    NOT NULL,
    seed                text COLLATE "C"    NOT NULL,
    started_at          text COLLATE "C"    NOT NULL,
    started_by          text COLLATE "C"    NOT NULL,
    reason              text COLLATE "C",
    forced              boolean NOT NULL DEFAULT false,
    ended_at            text COLLATE "C",
    end_reason          text COLLATE "C",
    version             bigint  NOT NULL
);

-- At most one active rollout per environment.
CREATE UNIQUE INDEX rollouts_one_active ON rollouts (app, environment) WHERE state IN ('progressing', 'paused');
CREATE INDEX rollouts_by_env ON rollouts (app, environment, started_at);

-- Every decision with its evidence: append-only.
CREATE TABLE rollout_decisions (
    rollout_id      text COLLATE "C"             NOT NULL REFERENCES rollouts (id),
    sequence        bigint           NOT NULL,
    kind            text COLLATE "C"             NOT NULL,
    step_index      integer          NOT NULL,
    weight          double precision NOT NULL,
    actor           text COLLATE "C"             NOT NULL,
    reason          text COLLATE "C"             NOT NULL,
    canary_requests bigint           NOT NULL DEFAULT 0,
    stable_requests bigint           NOT NULL DEFAULT 0,
    evidence_json   text COLLATE "C",
    time            text COLLATE "C"             NOT NULL,
    PRIMARY KEY (rollout_id, sequence)
);

CREATE TRIGGER rollout_decisions_append_only BEFORE UPDATE OR DELETE ON rollout_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change('rollout decisions are append-only');
CREATE TRIGGER rollout_decisions_no_truncate BEFORE TRUNCATE ON rollout_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('rollout decisions are append-only');

-- One controller acts on an environment at a time: whoever holds an unexpired lease.
CREATE TABLE rollout_leases (
    app         text COLLATE "C" NOT NULL,
    environment text COLLATE "C" NOT NULL,
    holder      text COLLATE "C" NOT NULL,
    expires_at  text COLLATE "C" NOT NULL,
    PRIMARY KEY (app, environment)
);
