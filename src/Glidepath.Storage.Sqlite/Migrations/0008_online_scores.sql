-- Online scores: the manifest's reference-free `online:` scorers run on a sample of live traffic.
-- A sampled trace carries its mean score and whether every applicable scorer passed (a scorer error
-- counts as not passed: fail closed); the aggregates carry per-arm sums the canary judge compares.
ALTER TABLE traces ADD COLUMN online_score REAL;
ALTER TABLE traces ADD COLUMN online_passed INTEGER;
ALTER TABLE traces ADD COLUMN online_scores_json TEXT;

ALTER TABLE trace_aggregates ADD COLUMN online_scored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN online_passed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN online_score_sum REAL NOT NULL DEFAULT 0;
ALTER TABLE trace_aggregates ADD COLUMN online_score_squares REAL NOT NULL DEFAULT 0;
