-- What a run's llm_judge calls cost, per release and judge, every process of the run together (the SQLite store's 0032;
-- docs/eval.md, the judge's spend): where a --resume's max_spend_usd starts from and what the run's judge figures show.
-- NULL on runs stored before this migration: theirs is added up from their stored results.
ALTER TABLE eval_runs ADD COLUMN judge_spend_json text COLLATE "C";
