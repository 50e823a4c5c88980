-- Who runs an eval run right now (EvalRunLease; docs/eval.md, "One process at a time"): one process at a time runs a run,
-- a new one or a --resume, so the judge's max_spend_usd holds for the run (outside trial gatejudge3 M1: two resumes at
-- once each spent the whole headroom). Renewed while the run goes; a row whose expires_at has passed is a lapsed lease.
-- Transient, like rollout_leases: store copy leaves it out.
CREATE TABLE eval_run_leases (
    run_id     TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    host       TEXT NOT NULL,
    pid        INTEGER NOT NULL,
    since      TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
