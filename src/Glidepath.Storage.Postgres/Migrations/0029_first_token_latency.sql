-- Per aggregate row, the answered streams that produced a first token and the sum and sum of squares of ln(time to
-- first token ms) over them (the SQLite store's 0029; docs/rollouts.md, first_token_latency). 0 on rows stored before
-- this migration: no stream observed. A constant default: PostgreSQL adds the columns without rewriting the table.
ALTER TABLE trace_aggregates ADD COLUMN first_token_count bigint NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN log_first_token_sum double precision NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN log_first_token_squares double precision NOT NULL DEFAULT 0;
