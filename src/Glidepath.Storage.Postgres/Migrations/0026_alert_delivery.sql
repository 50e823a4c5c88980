-- Webhook delivery of drift alerts is retried (the SQLite store's 0026): how many attempts an alert has had, and when
-- the next may start (a claim's lease while one is posting, a failed attempt's back-off after it; NULL when none is
-- wanted). Alerts stored before this migration keep 0 attempts; an open one not yet sent is delivered by the next check
-- that has a webhook.
ALTER TABLE monitor_alerts ADD COLUMN delivery_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE monitor_alerts ADD COLUMN delivery_due text COLLATE "C";
