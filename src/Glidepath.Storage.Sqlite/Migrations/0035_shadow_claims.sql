-- A shadow's caps shared by every gateway (outside trial: three gateways stored 237 pairs under --max-requests 150 and
-- spent $0.676 under --max-cost-usd 0.3, each mirroring on its own view of the store, re-read every 5 s). A gateway
-- mirrors only within what it claimed here, in chunks, so the claims of all gateways together never pass a cap
-- (IShadowStore.ClaimAsync). granted_* hold the last claim's grant, so one UPDATE both grants and tells.
CREATE TABLE shadow_claims (
    shadow_id          TEXT    NOT NULL PRIMARY KEY,
    pairs              INTEGER NOT NULL DEFAULT 0,
    cost_usd           REAL    NOT NULL DEFAULT 0,
    granted_pairs      INTEGER NOT NULL DEFAULT 0,
    granted_cost_usd   REAL    NOT NULL DEFAULT 0
);
