-- Why a trace's captured content was not kept though capture asked for it (docs/gateway.md, "Traces"): the gateway's
-- trace queue held its budget of captured bytes (a store outage). NULL when the content was kept or not asked for.
ALTER TABLE traces ADD COLUMN capture_dropped TEXT;
