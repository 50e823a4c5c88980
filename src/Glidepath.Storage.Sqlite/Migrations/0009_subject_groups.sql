-- Aggregates per subject group (issue 12): a subject (user, conversation) always falls in the same one of 64
-- groups, so the judge can count evidence per subject rather than per request (cluster-robust variance).
-- Latency sums and the histogram now cover answered requests only (latency_count); the histogram has finer,
-- log-spaced buckets and is stored sparse as {"bucket": count}. Rows written before this migration become
-- group 0 with their histogram dropped (its buckets meant other bounds) and latency_count = count - errors.
CREATE TABLE trace_aggregates_by_group (
    app                  TEXT    NOT NULL,
    environment          TEXT    NOT NULL,
    release_id           TEXT    NOT NULL,
    arm                  TEXT    NOT NULL,
    minute               TEXT    NOT NULL,   -- ISO 8601 UTC start of the minute
    grp                  INTEGER NOT NULL,   -- subject group 0..63
    count                INTEGER NOT NULL DEFAULT 0,
    errors               INTEGER NOT NULL DEFAULT 0,
    latency_count        INTEGER NOT NULL DEFAULT 0,
    latency_ms_sum       REAL    NOT NULL DEFAULT 0,
    log_latency_sum      REAL    NOT NULL DEFAULT 0,
    log_latency_squares  REAL    NOT NULL DEFAULT 0,
    input_tokens         INTEGER NOT NULL DEFAULT 0,
    output_tokens        INTEGER NOT NULL DEFAULT 0,
    cost_sum             REAL    NOT NULL DEFAULT 0,
    cost_squares         REAL    NOT NULL DEFAULT 0,
    latency_histogram    TEXT    NOT NULL DEFAULT '{}',
    online_scored        INTEGER NOT NULL DEFAULT 0,
    online_passed        INTEGER NOT NULL DEFAULT 0,
    online_score_sum     REAL    NOT NULL DEFAULT 0,
    online_score_squares REAL    NOT NULL DEFAULT 0,
    PRIMARY KEY (app, environment, release_id, arm, minute, grp)
);

INSERT INTO trace_aggregates_by_group (app, environment, release_id, arm, minute, grp, count, errors, latency_count, latency_ms_sum,
    log_latency_sum, log_latency_squares, input_tokens, output_tokens, cost_sum, cost_squares, latency_histogram,
    online_scored, online_passed, online_score_sum, online_score_squares)
SELECT app, environment, release_id, arm, minute, 0, count, errors, count - errors, latency_ms_sum,
    log_latency_sum, log_latency_squares, input_tokens, output_tokens, cost_sum, cost_squares, '{}',
    online_scored, online_passed, online_score_sum, online_score_squares
FROM trace_aggregates;

DROP TABLE trace_aggregates;
ALTER TABLE trace_aggregates_by_group RENAME TO trace_aggregates;

-- The group of each trace, so feedback can be counted per group too.
ALTER TABLE traces ADD COLUMN subject_group INTEGER NOT NULL DEFAULT 0;
