-- What a run's llm_judge calls cost, per release and judge, every process of the run together (JudgeSpend, as JSON with
-- exact decimals): where a --resume's max_spend_usd starts from and what the run's judge_calls and judge_cost_usd show,
-- answers that errored and results a resume replaced included (docs/eval.md, the judge's spend; outside trial
-- gatejudge2 M2/M3). NULL on runs stored before this migration: theirs is added up from their stored results.
ALTER TABLE eval_runs ADD COLUMN judge_spend_json TEXT;
