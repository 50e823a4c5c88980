using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// How long a rollout will take: for each step below 100%, the canary requests the judge needs before every metric's
/// interval, computed exactly as the judge computes it (the same confidence sequence, α, ρ and safe-side variance),
/// lies inside its tolerance when the canary is as good as stable — and the smallest regression each step then
/// catches. With the stable release's day of traffic per subject group, the variances are the judge's cluster-robust
/// ones: the per-request part, which falls as requests grow, plus the spread between its subjects, which does not
/// (<see cref="SubjectSpread"/>); a metric whose subjects differ so much that its interval stops short of the tolerance is
/// never decided, however long the step runs (trial netfalse M1). Without it, per-request variances (docs/rollouts.md).
/// The figure assumes the canary's estimate sits exactly at stable's value; it is about the median step, not a bound
/// (seeded A/A simulation: 1 step in 10 needs 1.8× or more): a real estimate wanders, and a step where it lies on the
/// unfavourable side (or where every metric must be safe at once with several near their tolerance) takes longer.
/// </summary>
public static class RolloutPlanner
{
    private const long Never = 1L << 40;

    /// <summary>
    /// The plan's steps from the stable release's profile; with <paramref name="stableDay"/> (its day of traffic, kept per
    /// subject group) each metric is paced with the spread between its subjects (<see cref="SubjectSpread"/>), and with
    /// <paramref name="rps"/> (requests a second) each step also says what it can decide within max_duration.
    /// </summary>
    public static IReadOnlyList<PlannedStep> Plan(RolloutPlan plan, StableProfile stable, ArmSample? stableDay = null, double? rps = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stable);
        var policy = JudgePolicy.From(plan);
        var between = policy.Rules.Select(r => stableDay is { } day ? SubjectSpread.Between(r, day) : 0).ToList();
        var oneCaller = policy.Rules.Select((r, i) => stableDay is { } day && between[i] > 0 ? Judge.OneCallerShareOf(r, day) : 0).ToList();
        var rate = rps is { } r && r > 0 && double.IsFinite(r) ? r : (double?)null;
        var sizes = stableDay?.Groups is { Length: > 1 } groups ? groups.Select(g => g.Requests).ToArray() : null;
        var steps = new List<PlannedStep>();
        foreach (var percent in plan.Steps.Where(s => s < 100))
        {
            var w = percent / 100;
            var stablePerCanary = (1 - w) / w;
            long? inTime = rate is { } perSecond ? (long)Math.Floor(perSecond * w * plan.MaxDuration.TotalSeconds) : null;
            var arms = Arms(sizes, w);
            var needs = new List<(MetricRule Rule, long? Requests, double PerRequest, Pace Pace, PlannedMetric Metric)>();
            for (var i = 0; i < policy.Rules.Count; i++)
            {
                var rule = policy.Rules[i];
                var (perRequest, vc, vs) = Spread(rule, stable);
                var pace = Pace.For(vc, vs, stablePerCanary, between[i], arms);
                var margin = Math.Abs(rule.Threshold);
                var (n, narrowest) = perRequest <= 0 ? (null, double.NaN) : Observations(pace, margin, policy);
                var flat = perRequest <= 0 ? null : Observations(Pace.For(vc, vs, stablePerCanary, 0, default), margin, policy).N;
                var requests = Requests(n, perRequest);
                var flatRequests = Requests(flat, perRequest);
                // Bound by its subjects when their spread (not the cap's fewer observations alone) keeps it undecided where per-request figures decide it.
                var bound = pace.Floor > 0 && ((requests is null && flatRequests is not null)
                    || (inTime is { } most && (requests is null || requests > most) && flatRequests <= most));
                var metric = new PlannedMetric(rule.Name, requests, null, rule.ToleranceText)
                {
                    CanaryRequestsPerRequest = flatRequests,
                    Narrowest = pace.Floor > 0 && perRequest > 0 ? narrowest : null,
                    NarrowestInTime = pace.Floor > 0 && perRequest > 0 && inTime is { } seen ? NarrowestUpTo(pace, seen * perRequest, policy) : null,
                    SubjectBound = bound,
                    ToleranceNeeded = bound ? ToleranceNeeded(rule, stable, between[i], stablePerCanary, arms, inTime is { } half ? half * perRequest / 2 : null, policy) : null,
                    OneCallerShare = bound && oneCaller[i] > 0 ? oneCaller[i] : null,
                };
                needs.Add((rule, requests, perRequest, pace, metric));
            }

            // The online metrics without a sample (no scorer, no feedback), and retry_rate without a provider call Glidepath
            // counts (an app's own client), are no_data and do not hold a step. first_token_latency without streams is
            // not_enough_data (an arm without a first token is no evidence of a fast one): the step never advances.
            var judged = needs.Where(x => x.PerRequest > 0 || x.Rule.Name == Judge.FirstTokenLatency).ToList();
            var limiting = judged.Count == 0 ? default : judged.MaxBy(x => x.Requests ?? long.MaxValue);
            long? canary = judged.Any(x => x.Requests is null) ? null : Math.Max(plan.MinRequests, limiting.Requests ?? 0);
            // A step that never decides still catches harm by its end: at max_duration's end at the rate, or without one when
            // its other metrics would be decided (until 2026-12-07 such a row left the column empty: trial netfalse2 M3).
            var end = canary ?? inTime ?? Math.Max(plan.MinRequests, judged.Select(x => x.Requests ?? 0).DefaultIfEmpty(0).Max());
            var metrics = needs.Select(x => x.Metric with
            {
                CatchesBeyond = x.PerRequest > 0 ? Catches(x.Rule, x.Pace, end * x.PerRequest, policy) : null,
            }).ToList();
            steps.Add(new PlannedStep(percent, canary, canary is { } k ? (long)Math.Ceiling(k / w) : null, judged.Count == 0 || canary == plan.MinRequests ? "min_requests" : limiting.Rule.Name, metrics)
            {
                CanaryRequestsInTime = inTime,
            });
        }

        return steps;
    }

    /// <summary>
    /// The radius of <paramref name="metric"/>'s interval on its safe side after <paramref name="canaryRequests"/> canary
    /// requests at a step of <paramref name="weight"/> percent, with the estimate at stable's, as <see cref="Plan"/> paces it:
    /// what the judge's upper end (for a harmful increase) lies above the estimate. For tests of the plan against the judge.
    /// </summary>
    internal static double SafeRadius(RolloutPlan plan, StableProfile stable, ArmSample? stableDay, double weight, string metric, double canaryRequests)
    {
        var policy = JudgePolicy.From(plan);
        var rule = policy.Rules.Single(r => r.Name == metric);
        var (perRequest, vc, vs) = Spread(rule, stable);
        var w = weight / 100;
        var sizes = stableDay?.Groups is { Length: > 1 } groups ? groups.Select(g => g.Requests).ToArray() : null;
        var pace = Pace.For(vc, vs, (1 - w) / w, stableDay is { } day ? SubjectSpread.Between(rule, day) : 0, Arms(sizes, w));
        return Radius(pace, canaryRequests * perRequest, policy);
    }

    private static long? Requests(long? observations, double perRequest) =>
        observations is { } obs ? (long)Math.Ceiling(obs / perRequest) : null;

    /// <summary>
    /// The variance of canary − stable on the safe side at n canary observations: per-request parts that fall as 1/n (over
    /// the observations the judge's cap keeps on each arm), and the floor the subjects' spread sets, which does not.
    /// </summary>
    private readonly record struct Pace(double Canary, double Stable, double StablePerCanary, double CanaryFloor, double StableFloor, ArmScale Arms)
    {
        public double Floor => CanaryFloor + StableFloor;

        public double Variance(double n) => CanaryPart(n) + StablePart(n);

        /// <summary>
        /// The degrees of freedom the judge's variance will have at n: with a floor (subjects that differ beyond chance) each
        /// arm's spread rests on its effective subjects less one and its per-request part is known, combined by
        /// Welch–Satterthwaite as the judge combines them (Judge.Cluster.cs; Kish's count here, a little above the judge's
        /// Nᵍ²-weighted one, so the plan is a little optimistic); without one, the per-request variance, taken as known.
        /// </summary>
        public double Df(double n) => Floor > 0
            ? Judge.Satterthwaite(CanaryPart(n), ArmDf(CanaryPart(n), CanaryFloor, Arms.CanarySubjects), StablePart(n), ArmDf(StablePart(n), StableFloor, Arms.StableSubjects))
            : double.PositiveInfinity;

        /// <summary>An arm's df as the judge's (Judge.Cluster.cs): its subjects less one for its spread, the rest known.</summary>
        private static double ArmDf(double part, double floor, double subjects) => Judge.SpreadDf(Math.Max(subjects - 1, 1), part, floor);

        private double CanaryPart(double n) => (Canary / (n * Arms.CanaryKept)) + CanaryFloor;

        private double StablePart(double n) => (Stable / (n * StablePerCanary * Arms.StableKept)) + StableFloor;

        /// <summary>
        /// The pace of a metric with per-observation variances <paramref name="vc"/> (the canary's, at the tolerance's
        /// boundary) and <paramref name="vs"/>, and the day's between variance <paramref name="between"/>
        /// (<see cref="SubjectSpread.Between"/>) on each arm as <paramref name="arms"/> scales it. The canary's is taken at
        /// the boundary as the judge's safe side takes it: its design effect times the boundary's per-request variance,
        /// <paramref name="vc"/>/<paramref name="vs"/> for a rate, 1 for a mean.
        /// </summary>
        public static Pace For(double vc, double vs, double stablePerCanary, double between, ArmScale arms)
        {
            var scale = arms.CanaryKept > 0 ? arms : new ArmScale(1, 0, 1, 0, double.PositiveInfinity, double.PositiveInfinity);
            var (canaryFloor, stableFloor) = between <= 0 ? (0, 0) : ((vs > 0 ? vc / vs : 1) * between * scale.CanaryBetween, between * scale.StableBetween);
            return new Pace(vc, vs, stablePerCanary, canaryFloor, stableFloor, scale);
        }
    }

    /// <summary>
    /// Each arm's share of requests the cap keeps, its between variance over the day's (<see cref="SubjectReach.Scale"/>), and
    /// its effective subjects (<see cref="SubjectReach.Estimate"/>; infinite without the day's groups).
    /// </summary>
    private readonly record struct ArmScale(double CanaryKept, double CanaryBetween, double StableKept, double StableBetween, double CanarySubjects, double StableSubjects);

    /// <summary>The arms of a step with canary share <paramref name="w"/> over the day's subject groups; without them, as if every request were its own subject.</summary>
    private static ArmScale Arms(long[]? sizes, double w) =>
        sizes is not null && SubjectReach.Scale(sizes, w) is { } c && SubjectReach.Scale(sizes, 1 - w) is { } s
            && double.IsFinite(c.Between) && double.IsFinite(s.Between)
            ? new ArmScale(c.Kept, c.Between, s.Kept, s.Between, SubjectReach.Estimate(sizes, w, 0)?.Expected ?? double.PositiveInfinity, SubjectReach.Estimate(sizes, 1 - w, 0)?.Expected ?? double.PositiveInfinity)
            : new ArmScale(1, 1 / w, 1, 1 / (1 - w), double.PositiveInfinity, double.PositiveInfinity);

    /// <summary>Observations per request, and the per-observation variance on each arm at the safe side under no change.</summary>
    private static (double PerRequest, double Canary, double Stable) Spread(MetricRule rule, StableProfile s)
    {
        static double Bernoulli(double p) => Math.Clamp(p, 1e-6, 1 - 1e-6) * (1 - Math.Clamp(p, 1e-6, 1 - 1e-6));
        return rule.Kind switch
        {
            MetricKind.LogMean when rule.Name == Judge.FirstTokenLatency => (s.FirstTokenShare, s.LogFirstTokenVariance, s.LogFirstTokenVariance),
            MetricKind.LogMean => (Answered(s), s.LogLatencyVariance, s.LogLatencyVariance),
            MetricKind.RatioOfMeans => (s.CostCv2 > 0 ? Answered(s) : 0, s.CostCv2, s.CostCv2),
            MetricKind.Mean => (s.OnlineSampleRate, s.OnlineScoreVariance, s.OnlineScoreVariance),
            MetricKind.TailShare => (Answered(s), Bernoulli(1 - rule.Quantile + rule.Threshold), Bernoulli(1 - rule.Quantile)),
            _ => rule.Name switch
            {
                "error_rate" => (1, Bernoulli(s.ErrorRate + rule.Threshold), Bernoulli(s.ErrorRate)),
                "retry_rate" => (s.ProviderCallShare, Bernoulli(s.RetryRate + rule.Threshold), Bernoulli(s.RetryRate)),
                Judge.CancelRate => (1, Bernoulli(s.CancelRate + rule.Threshold), Bernoulli(s.CancelRate)),
                "online_pass_rate" => (s.OnlineSampleRate, Bernoulli(s.OnlinePassRate + rule.Threshold), Bernoulli(s.OnlinePassRate)),
                _ => (s.FeedbackShare, Bernoulli(s.FeedbackPositiveRate + rule.Threshold), Bernoulli(s.FeedbackPositiveRate)),
            },
        };
    }

    /// <summary>The share of requests answered: latency and cost are over these (not errors, not cancelled by the caller).</summary>
    private static double Answered(StableProfile s) => Math.Max(1 - s.ErrorRate - s.CancelRate, 0);

    /// <summary>The radius at n canary observations: the sequence runs over the observations the judge counts, after the cap, with the degrees of freedom the judge's variance will have (<see cref="Pace.Df"/>).</summary>
    private static double Radius(Pace pace, double n, JudgePolicy policy) =>
        ConfidenceSequence.Radius(pace.Variance(n), n * pace.Arms.CanaryKept, policy.AlphaPerMetric, policy.Rho, pace.Df(n));

    /// <summary>The next look of the search: about 5% more observations.</summary>
    private static long Next(long n) => Math.Max(n + 1, (long)Math.Ceiling(n * 1.05));

    /// <summary>
    /// The fewest canary observations whose radius is below the margin (the estimate is 0 under no change), and the
    /// narrowest radius seen on the way. Without a floor the radius only falls; with one it falls, then grows again
    /// (the floor stays while the sequence's log term grows), so the search stops once it has passed its narrowest.
    /// </summary>
    private static (long? N, double Narrowest) Observations(Pace pace, double margin, JudgePolicy policy)
    {
        long lo = JudgePolicy.MinObservations, hi = lo;
        var narrowest = double.PositiveInfinity;
        while (Radius(pace, hi, policy) is var radius && radius >= margin)
        {
            if (radius > narrowest && pace.Floor > 0)
            {
                return (null, narrowest);
            }

            narrowest = Math.Min(narrowest, radius);
            lo = hi;
            hi = Next(hi);
            if (hi > Never)
            {
                return (null, narrowest);
            }
        }

        if (hi == lo)
        {
            return (hi, Radius(pace, hi, policy));
        }

        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Radius(pace, mid, policy) < margin)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return (hi, Radius(pace, hi, policy));
    }

    /// <summary>The narrowest radius at up to <paramref name="limit"/> canary observations (infinite below the judge's minimum).</summary>
    private static double NarrowestUpTo(Pace pace, double limit, JudgePolicy policy)
    {
        var narrowest = double.PositiveInfinity;
        for (long n = JudgePolicy.MinObservations; n < limit; n = Next(n))
        {
            narrowest = Math.Min(narrowest, Radius(pace, n, policy));
        }

        return limit >= JudgePolicy.MinObservations ? Math.Min(narrowest, Radius(pace, limit, policy)) : narrowest;
    }

    /// <summary>
    /// The smallest tolerance (a magnitude on the judge's scale) whose radius gets inside it within
    /// <paramref name="observations"/> canary observations (at any number without), by bisection; null when even a
    /// tolerance of the metric's whole range does not.
    /// </summary>
    private static double? ToleranceNeeded(MetricRule rule, StableProfile stable, double between, double stablePerCanary, ArmScale arms, double? observations, JudgePolicy policy)
    {
        bool Decided(double t)
        {
            var at = rule with { Threshold = rule.HarmIsIncrease ? t : -t };
            var (_, vc, vs) = Spread(at, stable);
            var pace = Pace.For(vc, vs, stablePerCanary, between, arms);
            return observations is { } n ? NarrowestUpTo(pace, n, policy) < t : Observations(pace, t, policy).N is not null;
        }

        double lo = Math.Abs(rule.Threshold), hi = rule.IsRatio ? Math.Log(100) : 1;
        if (!Decided(hi))
        {
            return null;
        }

        for (var i = 0; i < 30; i++)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = Decided(mid) ? (lo, mid) : (mid, hi);
        }

        return hi;
    }

    /// <summary>Tolerance + radius at n observations, on the metric's display scale.</summary>
    private static double Catches(MetricRule rule, Pace pace, double n, JudgePolicy policy)
    {
        var radius = Radius(pace, Math.Max(n, 1), policy);
        var edge = rule.HarmIsIncrease ? rule.Threshold + radius : rule.Threshold - radius;
        return rule.IsRatio ? Math.Exp(edge) : edge;
    }
}
