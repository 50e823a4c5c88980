-- Environments: the current state of each (app, environment), changed only by compare-and-swap on revision
-- together with one appended history event (PostgresEnvironmentStore), under a per-environment lock.
CREATE TABLE environments (
    app               text COLLATE "C"             NOT NULL,
    name              text COLLATE "C"             NOT NULL,
    revision          bigint           NOT NULL CHECK (revision > 0),
    stable_release_id text COLLATE "C",
    stable_since      text COLLATE "C",
    stable_by         text COLLATE "C",
    frozen            boolean          NOT NULL DEFAULT false,
    frozen_reason     text COLLATE "C",
    canary_release_id text COLLATE "C",
    canary_weight     double precision CHECK (canary_weight IS NULL OR (canary_weight >= 0 AND canary_weight <= 100)),
    canary_seed       text COLLATE "C",
    updated_at        text COLLATE "C"             NOT NULL,
    PRIMARY KEY (app, name)
);

-- History: append-only, one event per revision, so revisions form a gapless sequence per environment.
CREATE TABLE environment_events (
    app             text COLLATE "C"    NOT NULL,
    environment     text COLLATE "C"    NOT NULL,
    revision        bigint  NOT NULL CHECK (revision > 0),
    kind            text COLLATE "C"    NOT NULL,
    actor           text COLLATE "C"    NOT NULL,
    reason          text COLLATE "C",
    time            text COLLATE "C"    NOT NULL,
    from_release_id text COLLATE "C",
    to_release_id   text COLLATE "C",
    forced          boolean NOT NULL DEFAULT false,
    details_json    text COLLATE "C",
    PRIMARY KEY (app, environment, revision)
);

CREATE TRIGGER environment_events_append_only BEFORE UPDATE OR DELETE ON environment_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change('environment history is append-only');
CREATE TRIGGER environment_events_no_truncate BEFORE TRUNCATE ON environment_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('environment history is append-only');

-- Gate verdicts: evidence for promotion, written by `glidepath gate`; immutable.
CREATE TABLE gate_verdicts (
    seq                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                   text COLLATE "C"   NOT NULL UNIQUE,
    app                  text COLLATE "C"   NOT NULL,
    candidate_release_id text COLLATE "C"   NOT NULL,
    baseline_release_id  text COLLATE "C"   NOT NULL,
    dataset_sha256       text COLLATE "C"   NOT NULL,
    result               text COLLATE "C"   NOT NULL CHECK (result IN ('pass', 'blocked', 'error')),
    judge_version        text COLLATE "C",
    created_at           text COLLATE "C"   NOT NULL,
    details_json         text COLLATE "C"   NOT NULL
);

CREATE INDEX gate_verdicts_by_candidate ON gate_verdicts (app, candidate_release_id, baseline_release_id, created_at);

CREATE TRIGGER gate_verdicts_immutable BEFORE UPDATE OR DELETE ON gate_verdicts
    FOR EACH ROW EXECUTE FUNCTION refuse_change('gate verdicts are immutable');
CREATE TRIGGER gate_verdicts_no_truncate BEFORE TRUNCATE ON gate_verdicts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('gate verdicts are immutable');
