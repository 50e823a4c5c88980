-- Drift alerts: append-only apart from the webhook delivery status.
CREATE TABLE monitor_alerts (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             text COLLATE "C" NOT NULL UNIQUE,
    app            text COLLATE "C" NOT NULL,
    environment    text COLLATE "C" NOT NULL,
    release_id     text COLLATE "C" NOT NULL,
    metric         text COLLATE "C" NOT NULL,
    raised_at      text COLLATE "C" NOT NULL,
    reference_from text COLLATE "C" NOT NULL,
    reference_to   text COLLATE "C" NOT NULL,
    recent_from    text COLLATE "C" NOT NULL,
    recent_to      text COLLATE "C" NOT NULL,
    evidence_json  text COLLATE "C" NOT NULL,
    message        text COLLATE "C" NOT NULL,
    notification   text COLLATE "C" NOT NULL DEFAULT 'none'
);

CREATE INDEX monitor_alerts_by_env ON monitor_alerts (app, environment, raised_at);

CREATE TRIGGER monitor_alerts_no_delete BEFORE DELETE ON monitor_alerts
    FOR EACH ROW EXECUTE FUNCTION refuse_change('monitor alerts are append-only');

-- Environment configurations seen by the checklist, and when each was first seen.
CREATE TABLE environment_configs (
    app         text COLLATE "C" NOT NULL,
    environment text COLLATE "C" NOT NULL,
    sha256      text COLLATE "C" NOT NULL,
    first_seen  text COLLATE "C" NOT NULL,
    PRIMARY KEY (app, environment, sha256)
);
