-- Why a trace's captured content was not kept though capture asked for it (the SQLite store's 0022; docs/gateway.md,
-- "Traces"): the gateway's trace queue held its budget of captured bytes (a store outage). NULL when it was kept or not asked for.
ALTER TABLE traces ADD COLUMN capture_dropped text COLLATE "C";
