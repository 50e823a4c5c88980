-- Per aggregate row, the requests the caller closed before the answer ended (499 client_closed; the SQLite store's 0031;
-- docs/rollouts.md, cancel_rate): in no latency or cost sum. 0 on rows stored before this migration. A constant default:
-- PostgreSQL adds the column without rewriting the table.
ALTER TABLE trace_aggregates ADD COLUMN cancelled bigint NOT NULL DEFAULT 0;
