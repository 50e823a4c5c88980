using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Monitoring;

/// <summary>
/// What the drift monitor compares and how: the metric rules (the rollout plan's tolerances, with defaults for
/// the metrics it does not name), the confidence of each look, the recent window and its time-matched reference.
/// </summary>
public sealed record DriftPolicy
{
    /// <summary>Tolerances used for a metric the manifest's <c>rollout.metrics</c> does not name.</summary>
    public static readonly IReadOnlyDictionary<string, MetricTolerance> DefaultMetrics = new Dictionary<string, MetricTolerance>
    {
        ["error_rate"] = new() { MaxIncrease = 0.01 },

        // Over the calls whose attempts were counted only: minutes stored before migration 0028 count no calls, so a
        // reference from before it is short of observations (not judged) rather than a rate of 0 that recent retries exceed.
        ["retry_rate"] = new() { MaxIncrease = 0.01 },
        ["latency"] = new() { MaxRatio = 1.25 },

        // Over answered streams only: without streams in the window or its reference it is not_enough_data, never judged.
        ["first_token_latency"] = new() { MaxRatio = 1.25 },
        ["cost_per_call"] = new() { MaxRatio = 1.15 },
        ["online_score"] = new() { MaxDrop = 0.03 },
        ["online_pass_rate"] = new() { MaxDrop = 0.03 },
        ["feedback"] = new() { MaxDrop = 0.05 },
    };

    /// <summary>
    /// Rollout metrics the monitor leaves out even when <c>rollout.metrics</c> names them. <c>cancel_rate</c>: minutes
    /// stored before migration 0031 count no cancels, so for a week after an upgrade any cancel would read as a rise
    /// against the reference; and how often callers give up follows their own habits and clients (a new app version with
    /// a shorter timeout), which a comparison of a release with its own past cannot tell from harm. A rollout compares
    /// two arms at the same time, which both see alike (docs/monitoring.md).
    /// </summary>
    public static readonly IReadOnlyList<string> NotMonitored = [Rollouts.Judge.CancelRate];

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>The longest recent window: the reference is the same window on earlier days.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    /// <summary>The judge's policy: its rules, α per metric and mixing parameter are what the monitor reuses.</summary>
    public required JudgePolicy Judge { get; init; }

    /// <summary>How far back "recent" reaches from now: whole minutes, at most one day.</summary>
    public TimeSpan RecentWindow { get; init; } = DefaultWindow;

    /// <summary>Same clock window on earlier days, or on earlier weeks.</summary>
    public DriftReference Reference { get; init; } = DriftReference.Day;

    /// <summary>How many earlier matched windows are pooled at most (7 days, or 4 weeks).</summary>
    public int ReferenceCount => Reference == DriftReference.Week ? 4 : 7;

    /// <summary>How far apart matched windows are: one day or one week.</summary>
    public TimeSpan Period => Reference == DriftReference.Week ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);

    /// <summary>How far back the check reads traces: the recent window and every matched reference window before it.</summary>
    public TimeSpan TracesNeeded => (Period * ReferenceCount) + RecentWindow;

    /// <summary>
    /// Why <c>feedback</c> cannot alert under <paramref name="retention"/> (<c>traces.retention</c>), or null when it can.
    /// Feedback is read with its traces and deleted with them (only the per-minute aggregates of requests, errors,
    /// latency and cost are kept), so a retention shorter than <see cref="TracesNeeded"/> leaves the reference without it.
    /// </summary>
    public string? FeedbackLostToRetention(TimeSpan? retention) =>
        retention is { } kept && kept < TracesNeeded && Judge.Rules.Any(r => r.Name == "feedback")
            ? $"traces.retention is {DurationText(kept)} but the drift monitor's reference reaches back {DurationText(TracesNeeded)} "
              + $"({ReferenceCount} × {DurationText(Period)} + the {DurationText(RecentWindow)} window): feedback is deleted with its traces, "
              + "so the reference has no feedback and the feedback metric can never alert (the other metrics read the kept aggregates). "
              + $"Keep traces at least {Math.Ceiling(TracesNeeded.TotalDays).ToString(System.Globalization.CultureInfo.InvariantCulture)}d to watch feedback"
            : null;

    private static string DurationText(TimeSpan span)
    {
        var parts = new List<string>(3);
        if (span.Days > 0)
        {
            parts.Add(span.Days.ToString(System.Globalization.CultureInfo.InvariantCulture) + "d");
        }

        if (span.Hours > 0)
        {
            parts.Add(span.Hours.ToString(System.Globalization.CultureInfo.InvariantCulture) + "h");
        }

        if (span.Minutes > 0 || parts.Count == 0)
        {
            parts.Add(span.Minutes.ToString(System.Globalization.CultureInfo.InvariantCulture) + "m");
        }

        return string.Join(' ', parts);
    }

    /// <summary>
    /// The policy for a manifest: every known metric but <see cref="NotMonitored"/>, tolerances from <c>rollout.metrics</c> where given, and
    /// α = 1 − <c>rollout.confidence</c> per look split across the metrics, as the canary judge does. Each check compares a
    /// different sliding window, so this is not a bound per day: docs/benchmarks.md measures the rate per day.
    /// </summary>
    public static DriftPolicy From(Manifest manifest, TimeSpan? recentWindow = null, DriftReference reference = DriftReference.Day)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var window = recentWindow ?? DefaultWindow;
        if (window <= TimeSpan.Zero || window > MaxWindow || window.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(recentWindow), window, "the recent window is whole minutes, at most one day");
        }

        var plan = manifest.Rollout ?? new RolloutPlan();
        var metrics = new Dictionary<string, MetricTolerance>(DefaultMetrics, StringComparer.Ordinal);
        foreach (var (name, tolerance) in plan.Metrics)
        {
            metrics[name] = tolerance;
        }

        var rules = RolloutPlan.KnownMetrics.Where(m => metrics.ContainsKey(m) && !NotMonitored.Contains(m)).Select(m => MetricRule.From(m, metrics[m])).ToList();
        var alpha = (1 - plan.Confidence) / rules.Count;
        return new DriftPolicy
        {
            Judge = new JudgePolicy
            {
                Rules = rules,
                AlphaPerMetric = alpha,
                Rho = ConfidenceSequence.RhoFor(plan.MinRequests, alpha),
                MinRequests = plan.MinRequests,
                MinSubjects = plan.MinSubjects,
                MaxDuration = TimeSpan.MaxValue,
                RollBackWhenInconclusive = false,
                SeatsShareSubjects = true,
            },
            RecentWindow = window,
            Reference = reference,
        };
    }
}
