using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// The monitor judges retry_rate over the calls whose attempts were counted: a reference stored before migration 0028
/// (no call counted) is short of observations, not a retry rate of 0 that every recent retry would exceed.
/// </summary>
public sealed class DriftRetryRateTests
{
    private static readonly DriftMonitor Monitor = new(DriftPolicy.From(new Manifest
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "openai", Name = "gpt-4o-mini" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    }));

    private static ArmSample Window(long requests, long calls, long retried) => new()
    {
        Requests = requests,
        ProviderCalls = calls,
        RetriedCalls = retried,
        LatencyCount = requests,
        LogLatencySum = requests * 6.0,
        LogLatencySquares = requests * 36.25,
    };

    [Fact]
    public void Evidence_ReferenceFromBeforeAttemptsWereCounted_RetryRateNotJudged()
    {
        var evidence = Monitor.Evidence(Window(5_000, 5_000, 400), Window(50_000, 0, 0));

        var retry = evidence.Single(e => e.Metric == "retry_rate");
        Assert.Equal("not_enough_data", retry.Verdict);
        Assert.Contains("0 in the reference", retry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evidence_RetriesRiseFrom0Point2To8PercentOfCalls_RetryRateDrifted()
    {
        var evidence = Monitor.Evidence(Window(5_000, 5_000, 400), Window(50_000, 50_000, 100));

        Assert.Equal("harm", evidence.Single(e => e.Metric == "retry_rate").Verdict);
        Assert.Equal("safe", evidence.Single(e => e.Metric == "error_rate").Verdict);
    }
}
