using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Monitoring;

public sealed class DriftMonitorTests
{
    /// <summary>Documented in docs/monitoring.md: with a pooled reference of 35,000 requests (a week of 5,000-request hours at
    /// the same clock window) and sample_rate 0.2, a 10-point drop of the online pass rate (90% → 80%) is alerted within this
    /// many recent requests in at least 95% of seeded runs.</summary>
    private const int DocumentedRequests = 10000;

    /// <summary>Documented as the typical case: the median run alerts within this many recent requests.</summary>
    private const int DocumentedMedian = 3000;

    private const int ReferenceRequests = 35000;
    private const double SampleRate = 0.2;

    private static readonly Manifest SampleManifest = new()
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
        Rollout = new RolloutPlan
        {
            Metrics = new Dictionary<string, MetricTolerance>
            {
                ["error_rate"] = new() { MaxIncrease = 0.01 },
                ["latency"] = new() { MaxRatio = 1.25 },
                ["cost_per_call"] = new() { MaxRatio = 1.15 },
                ["online_score"] = new() { MaxDrop = 0.03 },
            },
        },
    };

    [Fact]
    public void HasDrifted_OnlinePassRateDownTenPoints_AlertsWithinTheDocumentedRequestsIn95PercentOfRuns()
    {
        var monitor = new DriftMonitor(DriftPolicy.From(SampleManifest));
        var detectedAt = new List<int>();
        const int runs = 200;
        for (var seed = 0; seed < runs; seed++)
        {
            var traffic = new LiveTraffic(seed, SampleRate);
            var reference = traffic.Run(ReferenceRequests, passRate: 0.9);
            var recent = default(ArmSample);
            for (var n = 1; n <= DocumentedRequests; n++)
            {
                recent = traffic.Next(recent, passRate: 0.8);
                if (n % 10 == 0 && monitor.HasDrifted(recent, reference))
                {
                    detectedAt.Add(n);
                    break;
                }
            }
        }

        var rate = detectedAt.Count / (double)runs;
        Assert.True(rate >= 0.95, $"detected in {rate:P1} of runs within {DocumentedRequests} requests (median {Median(detectedAt)}, p95 {P95(detectedAt)})");
        Assert.True(Median(detectedAt) <= DocumentedMedian, $"median {Median(detectedAt)} requests until the alert");
    }

    [Fact]
    public void HasDrifted_NoChange_FalseAlarmsInAtMostOnePercentOfRuns()
    {
        var monitor = new DriftMonitor(DriftPolicy.From(SampleManifest));
        var alarms = 0;
        const int runs = 200;
        for (var seed = 1000; seed < 1000 + runs; seed++)
        {
            var traffic = new LiveTraffic(seed, SampleRate);
            var reference = traffic.Run(ReferenceRequests);
            var recent = default(ArmSample);
            for (var n = 1; n <= 4000; n++)
            {
                recent = traffic.Next(recent);
                if (n % 10 == 0 && monitor.HasDrifted(recent, reference))
                {
                    alarms++;
                    break;
                }
            }
        }

        Assert.True(alarms <= runs / 100, $"{alarms} false alarms in {runs} runs");
    }

    [Fact]
    public void Assess_ErrorRateUpFivePoints_OnlyErrorRateIsHarm()
    {
        var monitor = new DriftMonitor(DriftPolicy.From(SampleManifest));
        var traffic = new LiveTraffic(7, SampleRate);
        var reference = traffic.Run(ReferenceRequests, errorRate: 0.01);
        var recent = traffic.Run(2000, errorRate: 0.06);

        var harmed = monitor.Assess(recent, reference).Where(a => a.Verdict == MetricVerdict.Harm).Select(a => a.Rule.Name).ToList();

        Assert.Equal(["error_rate"], harmed);
    }

    [Fact]
    public void From_ManifestWithoutFeedbackTolerance_UsesDefaultsForEveryKnownMetric()
    {
        var policy = DriftPolicy.From(SampleManifest);
        // The tail metrics are judged only when the manifest's rollout.metrics names them; cancel_rate never (DriftPolicy.NotMonitored).
        Assert.Equal(RolloutPlan.KnownMetrics.Where(m => m is not ("latency_p95" or "latency_p99" or "cancel_rate")), policy.Judge.Rules.Select(r => r.Name));
        Assert.Equal(-0.05, policy.Judge.Rules.Single(r => r.Name == "feedback").Threshold, 6);
        Assert.Equal(0.05 / 8, policy.Judge.AlphaPerMetric, 9);
    }

    // A reference stored before migration 0031 counts no cancel: judged, any cancel since would read as drift.
    [Fact]
    public void From_PlanNamesCancelRate_TheMonitorLeavesItOut()
    {
        var plan = SampleManifest.Rollout!;
        var manifest = SampleManifest with { Rollout = plan with { Metrics = new Dictionary<string, MetricTolerance>(plan.Metrics) { ["cancel_rate"] = new() { MaxIncrease = 0.05 } } } };

        var policy = DriftPolicy.From(manifest);

        Assert.DoesNotContain(policy.Judge.Rules, r => r.Name == "cancel_rate");
    }

    // The monitor promised the canary judge's min_subjects rule but always used the default 20.
    [Fact]
    public void From_TheRolloutPlansMinSubjects_IsTheMonitors()
    {
        var manifest = SampleManifest with { Rollout = SampleManifest.Rollout! with { MinSubjects = 30 } };

        Assert.Equal(30, DriftPolicy.From(manifest).Judge.MinSubjects);
    }

    // One subject flooding the recent window with failing requests: the window's requests then rest on a few effective
    // subjects (and its group's spread widens the interval), so the flood alone raises no alert; the same failures
    // spread over every subject do.
    [Fact]
    public void HasDrifted_OneSubjectsFloodOfFailures_NoAlert_TheSameFailuresSpreadAlert()
    {
        var monitor = new DriftMonitor(DriftPolicy.From(SampleManifest));
        var reference = Grouped(_ => (1000, 10));
        var flooded = Grouped(g => g == 3 ? (410, 400) : (10, 0));
        var spread = Grouped(g => (16, g % 8 == 0 ? 8 : 6));

        Assert.False(monitor.HasDrifted(flooded, reference));
        Assert.True(monitor.HasDrifted(spread, reference));
        Assert.Equal(monitor.HasDrifted(flooded, reference), monitor.Assess(flooded, reference).Any(a => a.Verdict == MetricVerdict.Harm));
    }

    /// <summary>64 subject groups, each with the requests and errors <paramref name="group"/> gives it.</summary>
    private static ArmSample Grouped(Func<int, (int Requests, int Errors)> group)
    {
        var groups = new ArmSample[Glidepath.Traces.SubjectGroups.Count];
        var total = default(ArmSample);
        for (var g = 0; g < groups.Length; g++)
        {
            var (requests, errors) = group(g);
            groups[g] = new ArmSample { Requests = requests, Errors = errors };
            total = ArmSample.Add(total, groups[g]);
        }

        return total with { Groups = groups };
    }

    private static int P95(List<int> values) => values.Count == 0 ? -1 : values.Order().ElementAt(values.Count * 95 / 100);

    private static int Median(List<int> values) => values.Count == 0 ? -1 : values.Order().ElementAt(values.Count / 2);
}
