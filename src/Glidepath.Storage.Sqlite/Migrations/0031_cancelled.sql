-- Per aggregate row, the requests the caller closed before the answer ended (499 client_closed, TraceRecord.IsCancelled):
-- such a request is neither an error nor answered, so it is in no latency or cost sum, and cancel_rate judges their
-- share of the requests (docs/rollouts.md, cancel_rate; outside trial sdkapp2: a canary whose streams every user
-- abandoned looked as fast and cheaper). 0 on rows stored before this migration: a cancel was then summed as answered,
-- and not told apart. The drift monitor leaves cancel_rate out for that reason (docs/monitoring.md).
ALTER TABLE trace_aggregates ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;
