namespace Glidepath.Rollouts;

/// <summary>One metric's need at one step: observations for a safe decision, and the smallest harm it then catches.</summary>
/// <param name="CanaryRequests">Canary requests that give those observations (online and feedback metrics see a share of requests); null when never.</param>
/// <param name="CatchesBeyond">With the step's canary requests, a change at least this large (on the metric's scale: a difference, or a ratio) is rolled back about half the time by the step's end; for a step that is never decided, by max_duration's end at the rate (without one, when its other metrics would be decided). Null for a metric without observations (not judged).</param>
public sealed record PlannedMetric(string Metric, long? CanaryRequests, double? CatchesBeyond, string ToleranceText)
{
    /// <summary>
    /// The canary requests with per-request variances only, as if every subject's rate were alike (what the plan said
    /// until 2026-12-07); equal to <see cref="CanaryRequests"/> when the subjects' spread (<see cref="SubjectSpread"/>) adds nothing.
    /// </summary>
    public long? CanaryRequestsPerRequest { get; init; }

    /// <summary>
    /// With the subjects' spread: the narrowest the interval's safe side gets at any number of canary requests (the
    /// radius on the judge's scale: a difference, or the log of a ratio); null when the subjects do not differ beyond chance.
    /// </summary>
    public double? Narrowest { get; init; }

    /// <summary>With a request rate: the narrowest the interval's safe side gets within the step's max_duration; null without a rate.</summary>
    public double? NarrowestInTime { get; init; }

    /// <summary>
    /// True when the subjects' spread, not the requests, keeps the metric undecided: with per-request variances it would be
    /// decided within max_duration (or, without a rate, at all), with the spread it is not (<see cref="SubjectSpreadWarning"/>).
    /// </summary>
    public bool SubjectBound { get; init; }

    /// <summary>
    /// When <see cref="SubjectBound"/>: the tolerance (a magnitude on the judge's scale) with which the step would be decided
    /// when the canary is as good as stable within half of max_duration (so that a step needing twice the median still fits),
    /// or without a rate near the narrowest interval.
    /// </summary>
    public double? ToleranceNeeded { get; init; }

    /// <summary>
    /// When <see cref="SubjectBound"/> and one subject group holds at least <see cref="Judge.OneCallerShare"/> of the stable
    /// release's spread of the metric (one caller, most likely: a client whose requests fail, or that cancels them): that
    /// share. A wider tolerance is then not the advice: it would also let a real harm of the caller's size through.
    /// </summary>
    public double? OneCallerShare { get; init; }
}
