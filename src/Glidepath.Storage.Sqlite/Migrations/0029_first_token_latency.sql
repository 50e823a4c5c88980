-- Per aggregate row, the answered streams that produced a first token and the sum and sum of squares of ln(time to
-- first token ms) over them (docs/rollouts.md, first_token_latency): latency is the total time, so a canary whose first
-- token came 4.8x later with the same total was promoted. 0 on rows stored before this migration: no stream observed,
-- so a drift reference from before it is short of streams (not judged) rather than fast.
ALTER TABLE trace_aggregates ADD COLUMN first_token_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN log_first_token_sum REAL NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN log_first_token_squares REAL NOT NULL DEFAULT 0;
