-- Drift alerts: one row per drifted metric of an environment's stable release, with the evidence that showed
-- it. Append-only apart from the webhook delivery status.
CREATE TABLE monitor_alerts (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL UNIQUE,
    app            TEXT    NOT NULL,
    environment    TEXT    NOT NULL,
    release_id     TEXT    NOT NULL,
    metric         TEXT    NOT NULL,
    raised_at      TEXT    NOT NULL,   -- ISO 8601 UTC
    reference_from TEXT    NOT NULL,
    reference_to   TEXT    NOT NULL,
    recent_from    TEXT    NOT NULL,
    recent_to      TEXT    NOT NULL,
    evidence_json  TEXT    NOT NULL,
    message        TEXT    NOT NULL,
    notification   TEXT    NOT NULL DEFAULT 'none'
);

CREATE INDEX monitor_alerts_by_env ON monitor_alerts (app, environment, raised_at);

CREATE TRIGGER monitor_alerts_no_delete BEFORE DELETE ON monitor_alerts
BEGIN
    SELECT RAISE(ABORT, 'monitor alerts are append-only');
END;

-- Environment configurations seen by the checklist: a fingerprint of the environment's manifest entry and
-- when it was first seen, so that "a drill passed since the configuration last changed" can be measured.
CREATE TABLE environment_configs (
    app         TEXT NOT NULL,
    environment TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    PRIMARY KEY (app, environment, sha256)
);
