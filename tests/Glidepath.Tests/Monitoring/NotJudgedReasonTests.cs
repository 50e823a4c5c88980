using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// Trial "drift" #5: a check's not_enough_data came with no reason (estimate null, nothing else), while rollout status
/// explains the same case. Every metric the monitor does not judge now says why, in the judge's own tests.
/// </summary>
public sealed class NotJudgedReasonTests
{
    private static readonly DriftMonitor Monitor = new(DriftPolicy.From(new Manifest
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    }));

    [Fact]
    public void Evidence_FewScoredRequestsInTheRecentWindow_SaysHowManyAndHowManyAreNeeded()
    {
        var traffic = new LiveTraffic(7, sampleRate: 0.2);
        var reference = traffic.Run(5000);
        var recent = traffic.Run(60);

        var evidence = Monitor.Evidence(recent, reference);

        var score = evidence.Single(e => e.Metric == "online_score");
        Assert.Equal("not_enough_data", score.Verdict);
        Assert.Equal($"{recent.OnlineScored} scored requests in the recent 1h window, at least 20 needed on each side", score.Reason);
        Assert.Null(evidence.Single(e => e.Metric == "error_rate").Reason);
    }

    [Fact]
    public void Evidence_TooFewEffectiveSubjectsInTheRecentWindow_NamesTheCountAndMinSubjects()
    {
        var traffic = new LiveTraffic(11, sampleRate: 0.2);
        var reference = Grouped(traffic, groups: 64, perGroup: 100);
        var recent = Grouped(traffic, groups: 15, perGroup: 40);

        var errors = Monitor.Evidence(recent, reference).Single(e => e.Metric == "error_rate");

        Assert.Equal("not_enough_data", errors.Verdict);
        Assert.StartsWith("effective subjects behind its requests 15 in the recent 1h window, below min_subjects 20", errors.Reason, StringComparison.Ordinal);
    }

    // The words come from the same tests as the verdict: a reason exactly when it is not_enough_data, whatever the sample.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Evidence_AnySample_ReasonExactlyWhenNotEnoughData(int seed)
    {
        var traffic = new LiveTraffic(seed, sampleRate: 0.2);
        var reference = Grouped(traffic, groups: 64, perGroup: 30);
        foreach (var (groups, perGroup) in new[] { (3, 5), (10, 10), (18, 30), (25, 4), (40, 40), (64, 2) })
        {
            foreach (var e in Monitor.Evidence(Grouped(traffic, groups, perGroup), reference))
            {
                Assert.True((e.Verdict == "not_enough_data") == (e.Reason is not null), $"{e.Metric} {e.Verdict} reason {e.Reason} at {groups}×{perGroup}");
            }
        }
    }

    /// <summary>A sample of <paramref name="groups"/> equally active subject groups.</summary>
    private static ArmSample Grouped(LiveTraffic traffic, int groups, int perGroup)
    {
        var all = new ArmSample[64];
        var sum = default(ArmSample);
        for (var g = 0; g < 64; g++)
        {
            all[g] = g < groups ? traffic.Run(perGroup) : default;
            sum = ArmSample.Add(sum, all[g]);
        }

        return sum with { Groups = all };
    }
}
