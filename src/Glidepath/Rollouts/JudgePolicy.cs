using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// The judge's settings derived from a rollout plan: the metric rules, each metric's share of the error
/// budget, the mixing parameter and the step limits.
/// </summary>
public sealed record JudgePolicy
{
    /// <summary>An interval needs at least this many observations of the metric on each arm.</summary>
    public const int MinObservations = 20;

    /// <summary>
    /// Judged when a plan names no metrics: the four every gateway and SDK measure. retry_rate is here because the
    /// provider pipeline's retries turn most provider failures into answers: a canary whose provider fails ten times as
    /// often shows no more errors than stable, only more retried calls (trial "tail", defect 1). cancel_rate is here
    /// because latency is over answered requests: a canary so slow that its callers give up shows no errors and only its
    /// few fast answers in latency (outside trial sdkapp2: every canary stream abandoned, latency ×1.23, inside 1.25).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, MetricTolerance> DefaultMetrics = new Dictionary<string, MetricTolerance>
    {
        ["error_rate"] = new() { MaxIncrease = 0.01 },
        ["retry_rate"] = new() { MaxIncrease = 0.01 },
        ["cancel_rate"] = new() { MaxIncrease = DefaultCancelRateMaxIncrease },
        ["latency"] = new() { MaxRatio = 1.25 },
    };

    /// <summary>cancel_rate's tolerance in the default plan (docs/benchmarks.md, "cancel_rate": the seeded simulation it was chosen from).</summary>
    public const double DefaultCancelRateMaxIncrease = 0.05;

    public required IReadOnlyList<MetricRule> Rules { get; init; }

    /// <summary>(1 − confidence) / number of metrics: a two-sided interval per metric at this level.</summary>
    public required double AlphaPerMetric { get; init; }

    /// <summary>Mixing parameter of the confidence sequence, in canary observations.</summary>
    public required double Rho { get; init; }
    public required long MinRequests { get; init; }

    /// <summary>
    /// Effective subjects (Kish's effective number of subject groups) each arm needs before any verdict on any
    /// metric: with fewer, a few users' own habits would pass for the release's effect.
    /// </summary>
    public int MinSubjects { get; init; } = 20;
    public required TimeSpan MaxDuration { get; init; }
    public required bool RollBackWhenInconclusive { get; init; }

    /// <summary>
    /// True when a subject group holds the same subjects in both seats (the drift monitor: the recent window and the
    /// reference days are one release's traffic from the same users). Then the reference's dominant harmful group is left
    /// out of the harm side by the rule the recent window's is (Judge.LeaveOneOut.cs); a canary's arms hold different
    /// subjects under one group index, so leaving stable's out there is a selection with nothing to cancel it.
    /// </summary>
    public bool SeatsShareSubjects { get; init; }

    /// <summary>
    /// True: every variance is taken as known, as before the judge's small-sample correction (Judge.Cluster.cs), so a bound
    /// over few subject groups is a normal one, not a Student t one. No plan sets it; the simulations' "before" rows do.
    /// </summary>
    internal bool KnownVariance { get; init; }

    /// <summary>
    /// On a canary (not <see cref="SeatsShareSubjects"/>), stable's most harmful subject group is left out of the harm
    /// side when it holds more than <see cref="Judge.CanaryStableShare"/> of stable's spread (one caller failing every
    /// request beside a harmful canary). Every plan's policy sets it, with <see cref="SplitsStableCallerAlpha"/>
    /// (<see cref="From"/>); false: the judge before (CanarySim --mirror-paired's "kept" side).
    /// </summary>
    internal bool LeavesOutStableCaller { get; init; }

    /// <summary>
    /// With <see cref="LeavesOutStableCaller"/>: when stable's group is left out the harm side's α is split, Bonferroni:
    /// harm when the harm-side bound with stable's group kept or the bound without it says harm, each at α/2 (paying for
    /// the selection out of α). Every plan's policy sets it (<see cref="From"/>); measured against a pre-registered bound
    /// on false harm (docs/benchmarks.md, "The canary mirror case at 95%, paying for the selection").
    /// </summary>
    internal bool SplitsStableCallerAlpha { get; init; }

    /// <summary>Under hold: how long past <see cref="MaxDuration"/> a step may hold before it is rolled back (the deadline); null: no deadline.</summary>
    public TimeSpan? MaxHold { get; init; }

    /// <summary>True when the plan's on_inconclusive is rollback (else a step held at its limit stays, until max_hold if set).</summary>
    public static bool RollsBackWhenInconclusive(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.OnInconclusive == "rollback";
    }

    /// <summary>The policy for a plan; the sequence is tuned to be tightest at the step's min_requests.</summary>
    public static JudgePolicy From(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var metrics = plan.Metrics.Count > 0 ? plan.Metrics : DefaultMetrics;
        var rules = RolloutPlan.KnownMetrics.Where(metrics.ContainsKey).Select(m => MetricRule.From(m, metrics[m])).ToList();
        var alpha = (1 - plan.Confidence) / rules.Count;
        return new JudgePolicy
        {
            Rules = rules,
            AlphaPerMetric = alpha,
            Rho = ConfidenceSequence.RhoFor(plan.MinRequests, alpha),
            MinRequests = plan.MinRequests,
            MinSubjects = plan.MinSubjects,
            MaxDuration = plan.MaxDuration,
            RollBackWhenInconclusive = RollsBackWhenInconclusive(plan),
            MaxHold = plan.MaxHold,

            // The canary mirror case (docs/rollouts.md): stable's caller that is nearly all of its spread is left out of
            // the harm side, the harm side's α split between the bounds with and without it (docs/benchmarks.md, "The
            // canary mirror case at 95%, paying for the selection").
            LeavesOutStableCaller = true,
            SplitsStableCallerAlpha = true,
        };
    }
}
