using Glidepath.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// Stopping the runtime (the app's host stopping) waits for the calls in flight and writes their traces before it
/// returns, as the gateway does for its requests: the trace writer stopped first, and a call that finished during the
/// stop left its trace in a queue nobody wrote.
/// </summary>
public sealed class RuntimeStopTests : IAsyncLifetime
{
    private ServingWorld _world = null!;

    public async Task InitializeAsync() => _world = await ServingWorld.CreateAsync(prefix: "gp-sdk-stop-");

    public async Task DisposeAsync() => await _world.DisposeAsync();

    // A trial: it threw "Cannot access a disposed object. Object name: 'System.Threading.SemaphoreSlim'".
    [Fact]
    public async Task StartAsync_AfterDispose_ObjectDisposedNamingTheRuntime()
    {
        var runtime = new GlidepathRuntime(
            new GlidepathOptions { Environment = "staging", Manifest = _world.ManifestPath, StoreInstance = _world.Store, Models = _world.Models },
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await runtime.StartAsync(CancellationToken.None);
        await runtime.DisposeAsync();

        var ex = await Assert.ThrowsAsync<ObjectDisposedException>(() => runtime.StartAsync(CancellationToken.None));

        Assert.Equal(nameof(GlidepathRuntime), ex.ObjectName);
        Assert.Contains("this GlidepathRuntime was disposed", ex.Message, StringComparison.Ordinal);
        Assert.False(runtime.IsStarted);
    }

    [Fact]
    public async Task StopAsync_CallInFlight_WaitsForItAndItsTraceIsStoredBeforeStopReturns()
    {
        var model = _world.Models.For("stable-model");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.HoldBeforeAnswer = hold;
        await using var host = await SdkHost.StartAsync(_world);

        var pending = host.Chat.GetResponseAsync("Can I return shoes after 45 days?");
        await UntilAsync(() => Volatile.Read(ref model.Calls) == 1, "the call to reach the model");
        var stopping = host.Runtime.StopAsync(CancellationToken.None);
        await UntilAsync(() => !host.Runtime.IsStarted, "the stop to begin");
        Assert.False(stopping.IsCompleted); // waiting for the call
        hold.SetResult();
        var response = await pending;
        await stopping;

        var id = (string)response.AdditionalProperties![GlidepathProperties.TraceId]!;
        var trace = await _world.Store.Traces.GetAsync(id, default);
        Assert.NotNull(trace);
        Assert.Equal((200, _world.V1.Id), (trace.Status, trace.ReleaseId));
    }

    [Fact]
    public async Task StopAsync_ManyCallsInFlightSomeStreamed_EveryFinishedCallHasItsTrace()
    {
        const int calls = 12;
        var model = _world.Models.For("stable-model");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.HoldBeforeAnswer = hold;
        model.HoldAfterFirstUpdate = hold;
        // Every call scored online: its trace goes through the online scorer's queue. When the stop came before the thread
        // pool had run the scorer's loop, every trace in that queue was lost (about 1 stop in 4-10; OnlineScorerStopTests).
        _world.EditManifest("sample_rate: 0.2", "sample_rate: 1.0");
        await using var host = await SdkHost.StartAsync(_world);

        var pending = Enumerable.Range(0, calls).Select(i => i % 3 == 0 ? StreamAsync(host.Chat, i) : WholeAsync(host.Chat, i)).ToList();
        await UntilAsync(() => Volatile.Read(ref model.Calls) == calls, $"all {calls} calls to reach the model");
        var stopping = host.Runtime.StopAsync(CancellationToken.None);
        await UntilAsync(() => !host.Runtime.IsStarted, "the stop to begin");
        hold.SetResult();
        var ids = await Task.WhenAll(pending);
        await stopping;

        var missing = new List<string>();
        for (var i = 0; i < ids.Length; i++)
        {
            if (await _world.Store.Traces.GetAsync(ids[i], default) is null)
            {
                missing.Add($"call {i} ({(i % 3 == 0 ? "stream" : "whole")}) id {ids[i]}");
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task Chat_AfterTheStopBegan_RefusedAndNotCountedAsInFlight()
    {
        await using var host = await SdkHost.StartAsync(_world);
        await host.Runtime.StopAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Chat.GetResponseAsync("hi"));

        Assert.Contains("Glidepath has stopped", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<string> WholeAsync(IChatClient chat, int i)
    {
        var response = await chat.GetResponseAsync("Can I return shoes after 45 days?", new ChatOptions { AdditionalProperties = new() { [GlidepathProperties.Subject] = "u" + i } });
        return (string)response.AdditionalProperties![GlidepathProperties.TraceId]!;
    }

    private static async Task<string> StreamAsync(IChatClient chat, int i)
    {
        string? id = null;
        await foreach (var update in chat.GetStreamingResponseAsync("Can I return shoes after 45 days?", new ChatOptions { AdditionalProperties = new() { [GlidepathProperties.Subject] = "u" + i } }))
        {
            id ??= update.AdditionalProperties?[GlidepathProperties.TraceId] as string;
        }

        return id!;
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new Xunit.Sdk.XunitException($"waited 30 s for {what}");
            }

            await Task.Delay(10);
        }
    }
}
