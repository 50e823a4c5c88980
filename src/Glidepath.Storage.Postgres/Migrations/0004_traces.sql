-- Traces: one row per request through the gateway or SDK. Content columns stay NULL unless the manifest's
-- capture policy keeps content (and then it is redacted before it gets here).
CREATE TABLE traces (
    trace_id           text COLLATE "C"             NOT NULL PRIMARY KEY,
    app                text COLLATE "C"             NOT NULL,
    environment        text COLLATE "C"             NOT NULL,
    release_id         text COLLATE "C"             NOT NULL,
    arm                text COLLATE "C"             NOT NULL,
    subject_hash       text COLLATE "C",
    started_at         text COLLATE "C"             NOT NULL,   -- ISO 8601 UTC, fixed width
    api                text COLLATE "C"             NOT NULL,
    stream             boolean          NOT NULL DEFAULT false,
    model              text COLLATE "C",
    status             integer          NOT NULL,
    error              text COLLATE "C",
    latency_ms         double precision NOT NULL,
    ttft_ms            double precision,
    overhead_ms        double precision NOT NULL,
    input_tokens       bigint           NOT NULL DEFAULT 0,
    output_tokens      bigint           NOT NULL DEFAULT 0,
    cost_usd           double precision NOT NULL DEFAULT 0,
    finish_reason      text COLLATE "C",
    input_json         text COLLATE "C",
    output_text        text COLLATE "C",
    online_score       double precision,
    online_passed      boolean,
    online_scores_json text COLLATE "C",
    subject_group      integer          NOT NULL DEFAULT 0,
    upstream_status    integer,
    upstream_message   text COLLATE "C"
);

CREATE INDEX traces_by_env_time ON traces (app, environment, started_at);
CREATE INDEX traces_by_release_time ON traces (app, release_id, started_at);

-- Per (environment, release, arm, minute, subject group) sums, merged by each batch with the domain's
-- TraceAggregateDelta.Add: what the canary judge reads. The histogram is sparse JSON {"bucket": count}.
CREATE TABLE trace_aggregates (
    app                  text COLLATE "C"             NOT NULL,
    environment          text COLLATE "C"             NOT NULL,
    release_id           text COLLATE "C"             NOT NULL,
    arm                  text COLLATE "C"             NOT NULL,
    minute               text COLLATE "C"             NOT NULL,   -- ISO 8601 UTC start of the minute
    grp                  integer          NOT NULL,   -- subject group 0..63
    count                bigint           NOT NULL DEFAULT 0,
    errors               bigint           NOT NULL DEFAULT 0,
    latency_count        bigint           NOT NULL DEFAULT 0,
    latency_ms_sum       double precision NOT NULL DEFAULT 0,
    log_latency_sum      double precision NOT NULL DEFAULT 0,
    log_latency_squares  double precision NOT NULL DEFAULT 0,
    input_tokens         bigint           NOT NULL DEFAULT 0,
    output_tokens        bigint           NOT NULL DEFAULT 0,
    cost_sum             double precision NOT NULL DEFAULT 0,
    cost_squares         double precision NOT NULL DEFAULT 0,
    latency_histogram    text COLLATE "C"             NOT NULL DEFAULT '{}',
    online_scored        bigint           NOT NULL DEFAULT 0,
    online_passed        bigint           NOT NULL DEFAULT 0,
    online_score_sum     double precision NOT NULL DEFAULT 0,
    online_score_squares double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (app, environment, release_id, arm, minute, grp)
);

-- User feedback on a trace: 1, -1, or a score in [0, 1].
CREATE TABLE trace_feedback (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trace_id   text COLLATE "C"             NOT NULL REFERENCES traces (trace_id),
    score      double precision NOT NULL,
    comment    text COLLATE "C",
    created_at text COLLATE "C"             NOT NULL
);

CREATE INDEX trace_feedback_by_trace ON trace_feedback (trace_id);
