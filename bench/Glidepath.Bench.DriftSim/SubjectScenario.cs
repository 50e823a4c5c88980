namespace Glidepath.Bench.DriftSim;

/// <summary>
/// One shape of the subject suite (outside trial drift3): 300 users with Zipf(<see cref="ZipfS"/>) activity at 3 requests a
/// second, three earlier days' 10-minute windows pooled as the reference, a 10-minute recent window checked every minute.
/// </summary>
/// <param name="BaseRate">Every honest request's error rate, both windows.</param>
/// <param name="Rise">Added to every honest request's error rate in the recent window (a real regression).</param>
/// <param name="ErrorProneShare">Share of users whose own requests fail at <paramref name="ErrorProneRate"/>, both windows.</param>
/// <param name="HeaviestErrorProne">The most active users, this many, are error-prone too.</param>
/// <param name="CallerPerMinute">Requests a minute of one more subject whose requests all fail (a client the provider 500s).</param>
/// <param name="CallerInReference">The failing caller sent as much on each reference day (a standing client, not a new one).</param>
/// <param name="ReferenceOnlyPerMinute">Requests a minute, on each reference day only, of one more subject whose requests all fail (a client
/// that failed on the earlier days and has stopped, or was fixed: the mirror of <paramref name="CallerPerMinute"/>; trial drift4).</param>
/// <param name="CallerMoves">The failing caller of <paramref name="CallerInReference"/> sent under another subject id on the earlier days, so
/// its reference group is not its recent one (trial drift4).</param>
/// <param name="Harmful">Whether an alert is the right answer (the honest rise is beyond the tolerance).</param>
internal sealed record SubjectScenario(
    string Key,
    string Title,
    double ZipfS,
    bool Harmful,
    double BaseRate = 0,
    double Rise = 0,
    double ErrorProneShare = 0,
    double ErrorProneRate = 0.2,
    int HeaviestErrorProne = 0,
    double CallerPerMinute = 0,
    bool CallerInReference = false,
    double ReferenceOnlyPerMinute = 0,
    bool CallerMoves = false);
