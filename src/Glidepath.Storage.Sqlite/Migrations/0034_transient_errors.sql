-- Whether an errored trial's error is one a resume is expected to fix: the provider (the model's or the judge's) could
-- not be reached, timed out, was rate limited or answered 5xx (TrialResult.TransientError). The gate leaves such cases
-- out of cases_always_errored, the cases a resume will not fix (outside trial gate1000 HIGH-1: 90 cases of a 2-minute
-- outage were listed there, and ci.md's retry recipe then skipped the resume that fixed every one). 0 on results stored
-- before this migration.
ALTER TABLE eval_results ADD COLUMN error_transient INTEGER NOT NULL DEFAULT 0;
