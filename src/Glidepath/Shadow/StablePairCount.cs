namespace Glidepath.Shadow;

/// <summary>How many of a shadow's pairs were answered by one stable release (a deploy, rollback or promote during a shadow changes it).</summary>
public sealed record StablePairCount(string StableReleaseId, long Pairs);
