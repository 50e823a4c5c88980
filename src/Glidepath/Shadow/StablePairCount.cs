namespace Glidepath.Shadow;

/// <summary>
/// How many of a shadow's pairs were answered by one stable release (a deploy, rollback or promote during a shadow
/// changes it), and how many of those the candidate failed: its errors are its own whatever the stable was.
/// </summary>
public sealed record StablePairCount(string StableReleaseId, long Pairs, long CandidateErrors);
