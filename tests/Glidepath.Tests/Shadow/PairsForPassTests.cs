using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Shadow;
using Glidepath.Traces;

namespace Glidepath.Tests.Shadow;

/// <summary>
/// The fewest pairs a shadow's pass needs (trial shadowcaps #4: shadow start warned only below min_requests, 200, while a
/// perfect candidate under the sample plan was still collecting at 766 pairs and passed at 1,396).
/// </summary>
public sealed class PairsForPassTests
{
    /// <summary>The judged part of the sample app's plan (samples/support-agent/glidepath.yaml, what glidepath init writes).</summary>
    private static readonly RolloutPlan SamplePlan = new()
    {
        MinRequests = 200,
        Metrics = new Dictionary<string, MetricTolerance>
        {
            ["error_rate"] = new() { MaxIncrease = 0.01 },
            ["retry_rate"] = new() { MaxIncrease = 0.01 },
            ["latency"] = new() { MaxRatio = 1.25 },
            ["latency_p95"] = new() { MaxIncrease = 0.05 },
            ["cost_per_call"] = new() { MaxRatio = 1.15 },
            ["online_score"] = new() { MaxDrop = 0.03 },
        },
    };

    private static PairedJudge JudgeOf(RolloutPlan plan, double? pairwise = null) => new(PairedJudgePolicy.From(plan, pairwise));

    private static ShadowPair Clean(int group, bool scored, bool pairwise) =>
        new(group, false, false, 1000, 1000, 0.001, 0.001, scored ? true : null, scored ? true : null, scored ? 1 : null, scored ? 1 : null, pairwise ? 0.5 : null);

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void For_SamplePlan_TheJudgeFedPairByPairIsCollectingUpToOnePairBeforeAndPassesAtTheFigure(bool scored, bool pairwise)
    {
        var judge = JudgeOf(SamplePlan, pairwise ? PairedJudgePolicy.DefaultPairwiseMaxDrop : null);

        var figure = PairsForPass.For(judge, scored);

        var needed = figure.Pairs!.Value;
        var sample = new PairedSample();
        var firstPass = 0L;
        for (var i = 0; i < needed - 1; i++)
        {
            sample.Add(Clean(i % SubjectGroups.Count, scored, pairwise));
            if (firstPass == 0 && judge.Classify(sample) == PairedOutcome.Pass)
            {
                firstPass = i + 1;
            }
        }

        Assert.Equal(0, firstPass); // looked at after every pair: no pass before the figure
        Assert.Equal(PairedOutcome.Collecting, judge.Classify(sample));
        sample.Add(Clean((int)((needed - 1) % SubjectGroups.Count), scored, pairwise));
        Assert.Equal(PairedOutcome.Pass, judge.Classify(sample));
        Assert.Equal("error_rate max_increase 0.01", figure.BoundBy);

        // The trial's perfect candidate: still collecting at 766 pairs without an error, passed at 1,396 (with real latency noise).
        Assert.InRange(needed, 767, 1396);
    }

    [Fact]
    public void For_ManifestWithoutRollout_TheDefaultMetricsBoundIt()
    {
        var figure = PairsForPass.For(JudgeOf(new RolloutPlan()), scored: false);

        Assert.Equal("error_rate max_increase 0.01", figure.BoundBy);
        Assert.True(figure.Pairs > new RolloutPlan().MinRequests);
    }

    [Fact]
    public void For_WideTolerances_MinRequestsBoundsIt()
    {
        var plan = new RolloutPlan { MinRequests = 300, Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.3 } } };

        var figure = PairsForPass.For(JudgeOf(plan), scored: false);

        Assert.Equal((300L, "rollout.step.min_requests 300"), (figure.Pairs, figure.BoundBy));
    }

    [Fact]
    public void For_TighterOnlineScoreThanErrorRate_OnlineScoreBoundsItOnlyWhenThePairsAreScored()
    {
        var plan = SamplePlan with
        {
            Metrics = new Dictionary<string, MetricTolerance>
            {
                ["error_rate"] = new() { MaxIncrease = 0.02 },
                ["online_score"] = new() { MaxDrop = 0.005 },
            },
        };

        var scored = PairsForPass.For(JudgeOf(plan), scored: true);
        var unscored = PairsForPass.For(JudgeOf(plan), scored: false);

        Assert.Equal("online_score max_drop 0.005", scored.BoundBy);
        Assert.Equal("error_rate max_increase 0.02", unscored.BoundBy);
        Assert.True(scored.Pairs > unscored.Pairs);
    }

    [Fact]
    public void For_ZeroTolerance_NoNumberOfPairsPasses_AndEveryStartIsTold()
    {
        var plan = new RolloutPlan { Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0 } } };

        var figure = PairsForPass.For(JudgeOf(plan), scored: false);

        Assert.Null(figure.Pairs);
        Assert.Equal("error_rate max_increase 0", figure.BoundBy);
        Assert.StartsWith("no number of pairs can pass", figure.CapNote(null), StringComparison.Ordinal);
        Assert.Equal("no number of pairs can pass a candidate as good as stable under this plan (error_rate max_increase 0 bounds it)", figure.CollectingNote(10));
    }

    [Fact]
    public void CapNote_BelowTheFigureWarns_AtOrAboveItOrUncappedSaysNothing()
    {
        var figure = PairsForPass.For(JudgeOf(SamplePlan), scored: true);
        var needed = figure.Pairs!.Value;

        Assert.Equal(
            $"--max-requests 600 is below the {needed} pairs a pass needs under this plan, even for a candidate as good as stable with no error on either side (error_rate max_increase 0.01 bounds it): this shadow can show harm but cannot pass; raise --max-requests to at least {needed}",
            figure.CapNote(600));
        Assert.NotNull(figure.CapNote(needed - 1));
        Assert.Null(figure.CapNote(needed));
        Assert.Null(figure.CapNote(null));
        Assert.Equal($"a pass needs at least {needed} pairs under this plan (error_rate max_increase 0.01 bounds it)", figure.CollectingNote(766));
        Assert.Null(figure.CollectingNote(needed));
    }

    [Fact]
    public void CostCapNote_CapPaysForFewerPairsThanThePassNeeds_Warns_OtherwiseOrUnknownCostSaysNothing()
    {
        var figure = PairsForPass.For(JudgeOf(SamplePlan), scored: true);
        var needed = figure.Pairs!.Value;

        var note = figure.CostCapNote(1, 0.002, "the stable release's cost per answered call over the last 24 h");

        Assert.StartsWith("--max-cost-usd 1 pays for about 500 pairs at $0.002 a call (the stable release's cost per answered call over the last 24 h; the candidate's own cost may differ), below the " + needed + " pairs", note, StringComparison.Ordinal);
        Assert.EndsWith($"raise --max-cost-usd to about {Math.Ceiling(needed * 0.002 * 1.05 * 100) / 100:0.##} ({needed} pairs at $0.002 a call, plus 5% for the candidate's own cost, rounded up to 3 significant figures)", note, StringComparison.Ordinal);
        Assert.Null(figure.CostCapNote(needed * 0.002, 0.002, "x"));
        Assert.Null(figure.CostCapNote(1, 0, "x"));
        Assert.Null(figure.CostCapNote(1, double.NaN, "x"));
    }

    // Outside trial: a cost cap below one call's cost was said to pay for "about 0 pairs"; it pays for none, and the
    // shadow stops after its first call or few, which pass the cap.
    [Fact]
    public void CostCapNote_CapBelowOneCallsCost_SaysItPaysForNoPair()
    {
        var figure = new PairsForPass(205, "error_rate max_increase 0.01");

        var note = figure.CostCapNote(0.001, 0.002, "s");

        Assert.NotNull(note);
        Assert.StartsWith("--max-cost-usd 0.001 pays for no pair at $0.002 a call (s;", note, StringComparison.Ordinal);
        Assert.EndsWith("rounded up to 3 significant figures); below one call's cost, the shadow stops after its first call or few, whose cost passes the cap", note, StringComparison.Ordinal);
    }

    // Trial "lows" #2: a cap of 0.0215 paying for 204.8 of 205 pairs was rounded to 205 and said nothing, and the cap
    // suggested was rounded up to the cent (0.03, 40% more than the pairs cost).
    [Fact]
    public void CostCapNote_CapAFractionOfAPairShort_WarnsWithWholePairsAndSuggestsTheCostPlusTheStatedMargin()
    {
        var figure = new PairsForPass(205, "error_rate max_increase 0.01");
        var costPerCall = 0.0215 / 204.8;

        var note = figure.CostCapNote(0.0215, costPerCall, "s");

        Assert.NotNull(note);
        Assert.StartsWith("--max-cost-usd 0.0215 pays for about 204 pairs at $0.000105 a call (s;", note, StringComparison.Ordinal);
        Assert.EndsWith("raise --max-cost-usd to about 0.0226 (205 pairs at $0.000105 a call, plus 5% for the candidate's own cost, rounded up to 3 significant figures)", note, StringComparison.Ordinal);
        Assert.Null(figure.CostCapNote(205 * costPerCall, costPerCall, "s"));
        Assert.Null(figure.CostCapNote(0.0226, costPerCall, "s"));
    }

    [Theory]
    [InlineData(0.0225971, 0.0226)]
    [InlineData(0.0226, 0.0226)]
    [InlineData(2.75730, 2.76)]
    [InlineData(1234.5, 1240)]
    [InlineData(0.1 + 0.2, 0.3)]
    public void RoundUp_ToThreeSignificantFigures(double value, double expected) =>
        Assert.Equal(expected, PairsForPass.RoundUp(value, 3));

    [Fact]
    public void Add_ManyCopiesAtOnce_SameSumsAsOneByOne()
    {
        var pair = new ShadowPair(5, false, true, 900, 1100, 0.002, 0.003, true, false, 0.8, 0.4, 1);
        var once = new PairedSample();
        var oneByOne = new PairedSample();

        once.Add(pair, 7);
        for (var i = 0; i < 7; i++)
        {
            oneByOne.Add(pair);
        }

        Assert.Equal(oneByOne.Pairs, once.Pairs);
        Assert.Equal(oneByOne.EffectiveSubjects, once.EffectiveSubjects);
        foreach (var metric in PairedSample.Metrics)
        {
            var (a, b) = (once.Total(metric), oneByOne.Total(metric));
            Assert.Equal(b.N, a.N);
            Assert.Equal(b.Sum, a.Sum, 12);
            Assert.Equal(b.Squares, a.Squares, 12);
            Assert.Equal(b.N, once.Group(metric, 5).N);
        }
    }
}
