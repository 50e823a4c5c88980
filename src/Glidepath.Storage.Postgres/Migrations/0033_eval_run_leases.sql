-- Who runs an eval run right now (the SQLite store's 0033; docs/eval.md, "One process at a time"): one process at a time
-- runs a run, so the judge's max_spend_usd holds for the run. A row whose expires_at has passed is a lapsed lease.
CREATE TABLE eval_run_leases (
    run_id     text COLLATE "C" PRIMARY KEY,
    holder     text COLLATE "C" NOT NULL,
    host       text COLLATE "C" NOT NULL,
    pid        integer NOT NULL,
    since      text COLLATE "C" NOT NULL,
    expires_at text COLLATE "C" NOT NULL
);
