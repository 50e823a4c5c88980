-- The gate rule a verdict was computed under (VerdictRule: eval.gate's max_case_regressions, max_mean_drop and
-- confidence, eval.trials, the mean rule's seed and resamples), as canonical JSON and its sha256. A verdict counts for
-- promote, rollout start and the checklist only under the rule in force (GateBasis): until now a pass computed under a
-- loosened rule, even one never committed, still counted after the rule was put back. Verdicts stored before this
-- migration keep NULL and count for nothing: which rule decided them was never recorded, so the gate must run again.
ALTER TABLE gate_verdicts ADD COLUMN gate_rule TEXT;
ALTER TABLE gate_verdicts ADD COLUMN gate_rule_sha256 TEXT;
