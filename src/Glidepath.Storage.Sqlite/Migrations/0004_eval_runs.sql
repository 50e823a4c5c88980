-- Eval runs and their case x trial results, written as each result finishes so a run can resume.
CREATE TABLE eval_runs (
    id                  TEXT    PRIMARY KEY,
    app                 TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    release_id          TEXT    NOT NULL,
    baseline_release_id TEXT,
    dataset_path        TEXT    NOT NULL,
    dataset_sha256      TEXT    NOT NULL,
    trials              INTEGER NOT NULL,
    case_count          INTEGER NOT NULL,
    tags_json           TEXT    NOT NULL,
    scorer_version      TEXT    NOT NULL,
    use_cache           INTEGER NOT NULL,
    concurrency         INTEGER NOT NULL,
    status              TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    finished_at         TEXT
);

CREATE INDEX eval_runs_app_created ON eval_runs (app, created_at);

CREATE TABLE eval_results (
    run_id        TEXT    NOT NULL REFERENCES eval_runs (id),
    release_id    TEXT    NOT NULL,
    case_id       TEXT    NOT NULL,
    trial         INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    score         REAL,
    output        TEXT    NOT NULL,
    tool_calls    TEXT    NOT NULL,
    latency_ms    REAL    NOT NULL,
    cost_usd      REAL,
    input_tokens  INTEGER,
    output_tokens INTEGER,
    scores_json   TEXT    NOT NULL,
    error         TEXT,
    finished_at   TEXT    NOT NULL,
    PRIMARY KEY (run_id, release_id, case_id, trial)
);
