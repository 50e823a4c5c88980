namespace Glidepath.Environments;

/// <summary>An environment's active shadow in a view: the candidate mirrored in the background, at what share, within which caps.</summary>
public sealed record ShadowStateView(string ShadowId, ReleaseRefView Release, double Rate, double? MaxCostUsd, long? MaxRequests);
