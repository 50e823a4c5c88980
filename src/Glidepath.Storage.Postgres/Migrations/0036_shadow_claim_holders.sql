-- Who holds a shadow's claims (the SQLite store's 0036): one row per gateway with what it claimed, what it said it
-- stored of that, and when it last renewed its holding (unix ms); a claim that finds the caps all claimed drops the
-- holdings not renewed for the lease and counts the claims again (IShadowStore.ClaimAsync).
CREATE TABLE shadow_claim_holders (
    shadow_id          text COLLATE "C" NOT NULL,
    holder             text COLLATE "C" NOT NULL,
    pairs              bigint           NOT NULL DEFAULT 0,
    cost_usd           double precision NOT NULL DEFAULT 0,
    stored_pairs       bigint           NOT NULL DEFAULT 0,
    stored_cost_usd    double precision NOT NULL DEFAULT 0,
    renewed_at_ms      bigint           NOT NULL,
    PRIMARY KEY (shadow_id, holder)
);
