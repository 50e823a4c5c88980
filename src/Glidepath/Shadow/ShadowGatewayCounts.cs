namespace Glidepath.Shadow;

/// <summary>
/// Where the requests a gateway sampled and did not mirror are counted: only on that gateway (its <c>/metrics</c> and
/// <c>/readyz</c>), never in the store, so <c>shadow status</c> names them rather than show a figure it does not have
/// (trial newcomer4 L1: it showed the pairs and no sign of what was not mirrored).
/// </summary>
public sealed record ShadowGatewayCounts(string Dropped, string Capped, string Failed, string Mirrored, string PairWrites)
{
    public static ShadowGatewayCounts Default { get; } = new(
        "glidepath_shadow_dropped_total{reason}: queue_full, capture_budget, shadow_ended, frozen, stopped, store_unreachable (the shadow's spend or a claim on its caps could not be read from the store)",
        "glidepath_shadow_capped_total: a cap reached, or every place under it claimed",
        "glidepath_shadow_failed_total: pairs not stored (a write refused or given up)",
        "glidepath_shadow_mirrored_total",
        "/readyz store_writes: busy or unreachable while pairs (and traces) wait to be written");
}
