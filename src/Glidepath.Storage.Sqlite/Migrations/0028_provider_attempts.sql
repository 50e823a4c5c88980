-- How many attempts a request's provider call took, and per aggregate row the calls counted and those that needed a
-- retry (docs/rollouts.md, retry_rate): a retried 429, 5xx or timeout that then succeeds is a 200 to the caller, so
-- error_rate never counts it. 0 on rows stored before this migration: not counted, so neither a call nor a retry
-- (retry_rate is over counted calls only, and a drift reference from before it is short of calls, not retry-free).
ALTER TABLE traces ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN provider_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN retried_calls INTEGER NOT NULL DEFAULT 0;
