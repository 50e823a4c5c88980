-- Whether an errored trial's error is one a resume is expected to fix (the SQLite store's 0034; TrialResult.TransientError):
-- the provider could not be reached, timed out, was rate limited or answered 5xx. false on results stored before it.
ALTER TABLE eval_results ADD COLUMN error_transient boolean NOT NULL DEFAULT false;
