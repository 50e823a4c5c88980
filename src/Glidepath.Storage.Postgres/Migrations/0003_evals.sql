-- Response cache for evals: model answers by sha256 key; entries expire; never holds an API key.
CREATE TABLE response_cache (
    cache_key     text COLLATE "C" PRIMARY KEY,
    provider      text COLLATE "C" NOT NULL,
    model         text COLLATE "C" NOT NULL,
    response_json text COLLATE "C" NOT NULL,
    created_at    text COLLATE "C" NOT NULL,
    expires_at    text COLLATE "C" NOT NULL
);

CREATE INDEX response_cache_expires ON response_cache (expires_at);

-- Eval runs and their case x trial results, written as each result finishes so a run can resume.
CREATE TABLE eval_runs (
    id                  text COLLATE "C"    PRIMARY KEY,
    app                 text COLLATE "C"    NOT NULL,
    kind                text COLLATE "C"    NOT NULL,
    release_id          text COLLATE "C"    NOT NULL,
    baseline_release_id text COLLATE "C",
    dataset_path        text COLLATE "C"    NOT NULL,
    dataset_sha256      text COLLATE "C"    NOT NULL,
    trials              integer NOT NULL,
    case_count          integer NOT NULL,
    tags_json           text COLLATE "C"    NOT NULL,
    scorer_version      text COLLATE "C"    NOT NULL,
    use_cache           boolean NOT NULL,
    concurrency         integer NOT NULL,
    status              text COLLATE "C"    NOT NULL,
    created_at          text COLLATE "C"    NOT NULL,
    finished_at         text COLLATE "C"
);

CREATE INDEX eval_runs_app_created ON eval_runs (app, created_at);

CREATE TABLE eval_results (
    seq           bigint GENERATED ALWAYS AS IDENTITY,
    run_id        text COLLATE "C"             NOT NULL REFERENCES eval_runs (id),
    release_id    text COLLATE "C"             NOT NULL,
    case_id       text COLLATE "C"             NOT NULL,
    trial         integer          NOT NULL,
    status        text COLLATE "C"             NOT NULL,
    score         double precision,
    output        text COLLATE "C"             NOT NULL,
    tool_calls    text COLLATE "C"             NOT NULL,
    latency_ms    double precision NOT NULL,
    cost_usd      double precision,
    input_tokens  bigint,
    output_tokens bigint,
    scores_json   text COLLATE "C"             NOT NULL,
    error         text COLLATE "C",
    finished_at   text COLLATE "C"             NOT NULL,
    PRIMARY KEY (run_id, release_id, case_id, trial)
);
