-- How many attempts a request's provider call took, and per aggregate row the calls counted and those that needed a
-- retry (the SQLite store's 0028; docs/rollouts.md, retry_rate): a retried 429, 5xx or timeout that then succeeds is a
-- 200 to the caller, so error_rate never counts it. 0 on rows stored before this migration: not counted, so neither a
-- call nor a retry. A constant default: PostgreSQL adds the columns without rewriting either table.
ALTER TABLE traces ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN provider_calls bigint NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN retried_calls bigint NOT NULL DEFAULT 0;
