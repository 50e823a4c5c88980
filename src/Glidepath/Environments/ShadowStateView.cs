namespace Glidepath.Environments;

/// <summary>An environment's active shadow in a view: the candidate mirrored in the background, at what share, within which caps.</summary>
public sealed record ShadowStateView(string ShadowId, ReleaseRefView Release, double Rate, double? MaxCostUsd, long? MaxRequests)
{
    /// <summary>A cap is reached: gateways mirror no more requests for it (set by <c>status</c>, which reads the spend).</summary>
    public bool CapReached { get; init; }

    /// <summary>The candidate has become the stable release: the shadow mirrors nothing and only waits for <c>shadow stop</c>.</summary>
    public bool CandidateIsStable { get; init; }
}
