using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// The monitor judges first_token_latency as it judges latency, over answered streams: a first token that comes three
/// times later at the same total time drifts, and a window without streams (an app that never streams, or a reference
/// stored before migration 0029) is not_enough_data with its reason, not a fast first token.
/// </summary>
public sealed class DriftFirstTokenLatencyTests
{
    private static readonly DriftMonitor Monitor = new(DriftPolicy.From(new Manifest
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "openai", Name = "gpt-4o-mini" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    }));

    /// <summary>Every request answered in about e^7 ms; <paramref name="streams"/> of them streamed with a first token around e^<paramref name="firstLog"/> ms.</summary>
    private static ArmSample Window(long requests, long streams, double firstLog) => new()
    {
        Requests = requests,
        LatencyCount = requests,
        LogLatencySum = requests * 7.0,
        LogLatencySquares = requests * 49.09,
        FirstTokenCount = streams,
        LogFirstTokenSum = streams * firstLog,
        LogFirstTokenSquares = streams * ((firstLog * firstLog) + 0.09),
    };

    [Fact]
    public void Evidence_FirstTokenThreeTimesLaterSameTotal_FirstTokenLatencyDriftedAndLatencyDidNot()
    {
        var evidence = Monitor.Evidence(Window(5_000, 4_000, 5.8 + Math.Log(3)), Window(50_000, 40_000, 5.8));

        Assert.Equal("harm", evidence.Single(e => e.Metric == "first_token_latency").Verdict);
        Assert.Equal("safe", evidence.Single(e => e.Metric == "latency").Verdict);
    }

    [Fact]
    public void Evidence_NoStreamInEitherWindow_FirstTokenLatencyNotEnoughDataWithItsReason()
    {
        var evidence = Monitor.Evidence(Window(5_000, 0, 0), Window(50_000, 0, 0));

        var first = evidence.Single(e => e.Metric == "first_token_latency");
        Assert.Equal("not_enough_data", first.Verdict);
        Assert.Equal("0 answered streams in the recent 1h window and 0 in the reference, at least 20 needed on each side", first.Reason);
        Assert.Equal("safe", evidence.Single(e => e.Metric == "latency").Verdict);
    }
}
