-- A shadow's caps shared by every gateway (the SQLite store's 0035; IShadowStore.ClaimAsync): a gateway mirrors only
-- within what it claimed here, so the claims of all gateways together never pass a cap.
CREATE TABLE shadow_claims (
    shadow_id          text             NOT NULL PRIMARY KEY,
    pairs              bigint           NOT NULL DEFAULT 0,
    cost_usd           double precision NOT NULL DEFAULT 0,
    granted_pairs      bigint           NOT NULL DEFAULT 0,
    granted_cost_usd   double precision NOT NULL DEFAULT 0
);
