-- Per aggregate row, the errors a caller's request alone can cause on one arm (refusals of the request and timeouts;
-- the SQLite store's 0030; docs/rollouts.md, "Errors a caller can cause on one arm"). 0 on rows stored before this
-- migration. A constant default: PostgreSQL adds the column without rewriting the table.
ALTER TABLE trace_aggregates ADD COLUMN one_arm_errors bigint NOT NULL DEFAULT 0;
