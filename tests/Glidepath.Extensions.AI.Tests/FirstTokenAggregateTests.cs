using Glidepath.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// The SDK's streams reach the aggregates the judge reads as the gateway's do (first_token_latency): a streamed call's
/// time to first token is summed, a whole call is a request but no observation of it. The release's client holds the
/// stream after its first update until the app has read that update, so the first token comes before the end.
/// </summary>
public sealed class FirstTokenAggregateTests : IAsyncLifetime
{
    private ServingWorld _world = null!;

    public async Task InitializeAsync() => _world = await ServingWorld.CreateAsync(prefix: "gp-sdk-");

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task StreamedAndWholeCalls_AggregatesSumTheStreamsFirstTokenOnly()
    {
        await using var host = await SdkHost.StartAsync(_world);
        var release = _world.Models.For("stable-model");
        release.HoldAfterFirstUpdate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        string? traceId = null;
        await foreach (var update in host.Chat.GetStreamingResponseAsync("hi"))
        {
            traceId ??= (string)update.AdditionalProperties![GlidepathProperties.TraceId]!;
            release.HoldAfterFirstUpdate.TrySetResult();
        }

        var whole = await host.Chat.GetResponseAsync("hi");

        var trace = await _world.TraceAsync(traceId!);
        var wholeTrace = await _world.TraceAsync((string)whole.AdditionalProperties![GlidepathProperties.TraceId]!);
        var firstToken = Assert.NotNull(trace.TimeToFirstTokenMs);
        Assert.True(firstToken < trace.LatencyMs, $"first token {firstToken} ms, total {trace.LatencyMs} ms");
        Assert.Null(wholeTrace.TimeToFirstTokenMs);
        var arm = Assert.Single(await _world.Store.Traces.ArmStatsAsync(_world.Manifest.App, "staging", DateTimeOffset.UtcNow.AddHours(-1), null, default));
        Assert.Equal((2L, 1L), (arm.Count, arm.FirstTokenCount));
        Assert.Equal(Math.Log(firstToken), arm.LogFirstTokenSum, 9);
    }
}
