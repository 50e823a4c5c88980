using Glidepath.Serving.Tests.Support;

namespace Glidepath.Serving.Tests.Shadow;

/// <summary>Pairs are written in batches; a host that stops writes the ones still waiting instead of losing them.</summary>
public sealed class ShadowDrainTests
{
    [Fact]
    public async Task Stop_PairsWaitingForTheirBatch_AreWrittenBeforeTheHostEnds()
    {
        // A flush interval of an hour: no batch is written while the host runs, so every pair is still queued at the stop.
        await using var f = await ServingFixture.StartAsync(configure: o => o with { TraceFlushInterval = TimeSpan.FromHours(1) });
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-drain");

        await ShadowSetup.CallAsync(f, 5);

        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.PendingPairs == 5), "all five pairs to be answered and queued");
        Assert.Equal(0, (await f.Store.Shadows.SpendAsync("sh-drain", default)).Pairs);

        await f.StopServicesAsync();

        Assert.Equal(5, (await f.Store.Shadows.SpendAsync("sh-drain", default)).Pairs);
        Assert.Equal((5L, 0L), (mirror.Mirrored, mirror.Failed));
    }
}
