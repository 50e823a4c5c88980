-- Per aggregate row, the errors a caller's request alone can cause on one arm (refusals of the request and timeouts,
-- TraceRecord.OneArmErrors): requests only stable's provider rejects or times out on inflate stable's error rate, and
-- the judge credits a canary with fewer of them than stable only within chance (docs/rollouts.md, "Errors a caller can
-- cause on one arm"). 0 on rows stored before this migration: such errors were not told apart, so they are credited as
-- before.
ALTER TABLE trace_aggregates ADD COLUMN one_arm_errors INTEGER NOT NULL DEFAULT 0;
