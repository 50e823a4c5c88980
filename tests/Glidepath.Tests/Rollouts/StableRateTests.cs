using Glidepath.Rollouts;
using Glidepath.Storage.InMemory;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Trial netfalse2 L4: right after a promotion rollout plan and rollout start measured no rate (the time since the new
/// stable release became stable was under a minute), so the step-pace warning was silent while the gateway served about
/// 38 requests/s. The rate is the environment's recent traffic, whatever release served it.
/// </summary>
public sealed class StableRateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 30, TimeSpan.Zero);

    /// <summary><paramref name="perMinute"/> requests on each arm in each of the <paramref name="minutes"/> minutes before the current one.</summary>
    private static async Task<InMemoryStore> TrafficAsync(int minutes, int perMinute, string canaryRelease = "v2", string stableRelease = "v1")
    {
        var store = new InMemoryStore();
        var traces = new List<TraceRecord>();
        for (var m = 1; m <= minutes; m++)
        {
            for (var i = 0; i < 2 * perMinute; i++)
            {
                var canary = i % 2 == 0;
                traces.Add(new TraceRecord
                {
                    TraceId = $"{(m * 100_000) + i:x32}",
                    App = "app",
                    Environment = "production",
                    ReleaseId = canary ? canaryRelease : stableRelease,
                    Arm = canary ? "canary" : "stable",
                    StartedAt = Now.AddMinutes(-m).AddSeconds(i * 30.0 / perMinute / 2),
                    Api = "openai",
                    Status = 200,
                    LatencyMs = 300,
                    OverheadMs = 1,
                    CostUsd = 0.002,
                });
            }
        }

        await store.Traces.WriteBatchAsync(traces, default);
        return store;
    }

    [Fact]
    public async Task MeasureAsync_JustPromotedAfterACanaryServedHalf_IsTheEnvironmentsRateSinceItsTrafficBegan()
    {
        // 20 minutes of a 50% canary (v2) beside stable v1, 120 requests a minute in all; v2 was promoted 20 s ago.
        var store = await TrafficAsync(20, 60);

        var rate = await StableRate.MeasureAsync(store.Traces, "app", "production", Now.AddSeconds(-20), Now, default);

        Assert.NotNull(rate);
        Assert.InRange(rate.RequestsPerSecond, 1.9, 2.1);
        Assert.Matches(@"^measured over production's requests, both arms, in the (19|20)m\d+s since its traffic began$", rate.Source);
    }

    [Fact]
    public async Task MeasureAsync_NoTrafficBeforeTheStableReleaseBecameStable_IsOverTheTimeSince()
    {
        var store = await TrafficAsync(5, 60);

        var rate = await StableRate.MeasureAsync(store.Traces, "app", "production", Now.AddMinutes(-5).AddSeconds(-30), Now, default);

        Assert.NotNull(rate);
        Assert.Equal(600 / 330.0, rate.RequestsPerSecond, 6);
        Assert.Equal("measured over production's requests, both arms, in the 5m30s since the stable release became stable", rate.Source);
    }

    [Fact]
    public async Task MeasureAsync_NoTrafficInTheHour_None() =>
        Assert.Null(await StableRate.MeasureAsync(new InMemoryStore().Traces, "app", "production", Now.AddHours(-3), Now, default));
}
