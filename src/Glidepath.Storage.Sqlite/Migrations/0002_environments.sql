-- Environments: the current state of each (app, environment), changed only by compare-and-swap on
-- revision together with one appended history event (see SqliteEnvironmentStore.ApplyAsync).
CREATE TABLE environments (
    app               TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    revision          INTEGER NOT NULL CHECK (revision > 0),
    stable_release_id TEXT,
    stable_since      TEXT,
    stable_by         TEXT,
    frozen            INTEGER NOT NULL DEFAULT 0,
    frozen_reason     TEXT,
    canary_release_id TEXT,
    canary_weight     REAL CHECK (canary_weight IS NULL OR (canary_weight >= 0 AND canary_weight <= 100)),
    canary_seed       TEXT,
    updated_at        TEXT    NOT NULL,
    PRIMARY KEY (app, name)
);

-- History: append-only. One event per revision, so revisions form a gapless sequence per environment.
CREATE TABLE environment_events (
    app             TEXT    NOT NULL,
    environment     TEXT    NOT NULL,
    revision        INTEGER NOT NULL CHECK (revision > 0),
    kind            TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    reason          TEXT,
    time            TEXT    NOT NULL,
    from_release_id TEXT,
    to_release_id   TEXT,
    forced          INTEGER NOT NULL DEFAULT 0,
    details_json    TEXT,
    PRIMARY KEY (app, environment, revision)
);

CREATE TRIGGER environment_events_no_update BEFORE UPDATE ON environment_events
BEGIN
    SELECT RAISE(ABORT, 'environment history is append-only');
END;

CREATE TRIGGER environment_events_no_delete BEFORE DELETE ON environment_events
BEGIN
    SELECT RAISE(ABORT, 'environment history is append-only');
END;

-- Gate verdicts: evidence for promotion, written by `glidepath gate`. Append-only as well.
CREATE TABLE gate_verdicts (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    id                   TEXT    NOT NULL UNIQUE,
    app                  TEXT    NOT NULL,
    candidate_release_id TEXT    NOT NULL,
    baseline_release_id  TEXT    NOT NULL,
    dataset_sha256       TEXT    NOT NULL,
    result               TEXT    NOT NULL CHECK (result IN ('pass', 'blocked', 'error')),
    judge_version        TEXT,
    created_at           TEXT    NOT NULL,
    details_json         TEXT    NOT NULL
);

CREATE INDEX gate_verdicts_by_candidate ON gate_verdicts (app, candidate_release_id, baseline_release_id, created_at);

CREATE TRIGGER gate_verdicts_no_update BEFORE UPDATE ON gate_verdicts
BEGIN
    SELECT RAISE(ABORT, 'gate verdicts are immutable');
END;

CREATE TRIGGER gate_verdicts_no_delete BEFORE DELETE ON gate_verdicts
BEGIN
    SELECT RAISE(ABORT, 'gate verdicts are immutable');
END;
