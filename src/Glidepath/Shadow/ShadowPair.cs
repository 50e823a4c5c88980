namespace Glidepath.Shadow;

/// <summary>
/// One shadow pair: the same input answered by the stable release (the caller's answer) and by the candidate
/// (in the background, never returned). A value is null when that side did not produce it (no latency for an
/// error, no score when online scoring did not run, no preference without a pairwise judge).
/// </summary>
/// <param name="Group">The request's subject group (<see cref="Traces.SubjectGroups.Of"/>): pairs of one subject are not independent.</param>
public readonly record struct ShadowPair(
    int Group,
    bool StableError,
    bool CandidateError,
    double? StableLatencyMs,
    double? CandidateLatencyMs,
    double? StableCost,
    double? CandidateCost,
    bool? StablePassed,
    bool? CandidatePassed,
    double? StableScore,
    double? CandidateScore,
    double? CandidatePreference);
