-- Traces: one row per request through the gateway or SDK. Content columns stay NULL unless the
-- manifest's capture policy keeps content (and then it is redacted before it gets here).
CREATE TABLE traces (
    trace_id        TEXT    NOT NULL PRIMARY KEY,
    app             TEXT    NOT NULL,
    environment     TEXT    NOT NULL,
    release_id      TEXT    NOT NULL,
    arm             TEXT    NOT NULL,
    subject_hash    TEXT,
    started_at      TEXT    NOT NULL,   -- ISO 8601 UTC, sortable
    api             TEXT    NOT NULL,
    stream          INTEGER NOT NULL DEFAULT 0,
    model           TEXT,
    status          INTEGER NOT NULL,
    error           TEXT,
    latency_ms      REAL    NOT NULL,
    ttft_ms         REAL,
    overhead_ms     REAL    NOT NULL,
    input_tokens    INTEGER NOT NULL DEFAULT 0,
    output_tokens   INTEGER NOT NULL DEFAULT 0,
    cost_usd        REAL    NOT NULL DEFAULT 0,
    finish_reason   TEXT,
    input_json      TEXT,
    output_text     TEXT
);

CREATE INDEX traces_by_env_time ON traces (app, environment, started_at);
CREATE INDEX traces_by_release_time ON traces (app, release_id, started_at);

-- Per (environment, release, arm, minute) sums, added to by each batch: what the canary judge reads.
CREATE TABLE trace_aggregates (
    app                 TEXT    NOT NULL,
    environment         TEXT    NOT NULL,
    release_id          TEXT    NOT NULL,
    arm                 TEXT    NOT NULL,
    minute              TEXT    NOT NULL,   -- ISO 8601 UTC start of the minute
    count               INTEGER NOT NULL DEFAULT 0,
    errors              INTEGER NOT NULL DEFAULT 0,
    latency_ms_sum      REAL    NOT NULL DEFAULT 0,
    log_latency_sum     REAL    NOT NULL DEFAULT 0,
    log_latency_squares REAL    NOT NULL DEFAULT 0,
    input_tokens        INTEGER NOT NULL DEFAULT 0,
    output_tokens       INTEGER NOT NULL DEFAULT 0,
    cost_sum            REAL    NOT NULL DEFAULT 0,
    cost_squares        REAL    NOT NULL DEFAULT 0,
    latency_histogram   TEXT    NOT NULL DEFAULT '[]',  -- JSON array of counts per LatencyBuckets bound
    PRIMARY KEY (app, environment, release_id, arm, minute)
);

-- User feedback on a trace: 1, -1, or a score in [0, 1].
CREATE TABLE trace_feedback (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id   TEXT    NOT NULL REFERENCES traces (trace_id),
    score      REAL    NOT NULL,
    comment    TEXT,
    created_at TEXT    NOT NULL
);

CREATE INDEX trace_feedback_by_trace ON trace_feedback (trace_id);
