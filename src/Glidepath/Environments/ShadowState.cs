namespace Glidepath.Environments;

/// <summary>
/// An active shadow: the candidate release that answers a sampled share of the stable arm's requests in the
/// background, never returned to callers, until a cap is reached or it is stopped.
/// </summary>
/// <param name="ShadowId">Names the shadow's pairs in the store (<c>sh-…</c>).</param>
/// <param name="Rate">The share of stable requests mirrored, in (0, 1].</param>
/// <param name="MaxCostUsd">The candidate's model cost after which mirroring stops; null: no cap.</param>
/// <param name="MaxRequests">The mirrored requests after which mirroring stops; null: no cap.</param>
public sealed record ShadowState(string ShadowId, string ReleaseId, double Rate, double? MaxCostUsd, long? MaxRequests);
