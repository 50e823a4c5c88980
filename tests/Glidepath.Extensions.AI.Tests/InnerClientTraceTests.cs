using Glidepath.Environments;
using Glidepath.Extensions.AI;
using Glidepath.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// What the trace of a call answered by the app's own client says it ran on: the model the app asked for, never the
/// release's (which this mode does not call), and so no cost when that model is not known.
/// </summary>
public sealed class InnerClientTraceTests : IAsyncLifetime
{
    private ServingWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await ServingWorld.CreateAsync(prefix: "gp-sdk-");

        // The release's model is priced: a trace that named it would show a cost of $0 as if it were known.
        _world.EditManifest("sim-support-1: {", "stable-model: {");
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    // A trial: the app's own client failed on a call that named no model; the trace said the release's model
    // (stable-model, which the app's client never ran) and a cost of $0.000000 under that model's price.
    [Fact]
    public async Task InnerClientFails_CallNamedNoModel_TraceHasNoModelAndNoCost()
    {
        var own = new ScriptedChatClient("my-own-model") { Failure = new HttpRequestException("the app's endpoint is down") };
        await using var host = await SdkHost.StartAsync(_world, s => s.AddChatClient(own).UseGlidepath(c => c.Mode = GlidepathMode.InnerClient));

        var ex = await Assert.ThrowsAsync<GlidepathChatException>(() => host.Chat.GetResponseAsync("Can I return shoes after 45 days?"));

        var trace = await _world.TraceAsync(ex.TraceId!);
        Assert.True(trace.IsError);
        Assert.Equal(0, trace.Attempts); // the app's own client: its retries are not Glidepath's to count (retry_rate no_data)
        Assert.Null(trace.Model);
        Assert.Null(PriceTable.For(_world.LoadManifest()).Known(trace.Model, trace.CostUsd));
    }

    [Fact]
    public async Task InnerClientFails_StreamedCallNamedAnUnpricedModel_TraceHasThatModelAndNoCost()
    {
        var own = new ScriptedChatClient("my-own-model") { Failure = new HttpRequestException("the app's endpoint is down") };
        await using var host = await SdkHost.StartAsync(_world, s => s.AddChatClient(own).UseGlidepath(c => c.Mode = GlidepathMode.InnerClient));

        var ex = await Assert.ThrowsAsync<GlidepathChatException>(async () =>
        {
            await foreach (var _ in host.Chat.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "my-own-model" }))
            {
            }
        });

        var trace = await _world.TraceAsync(ex.TraceId!);
        Assert.Equal("my-own-model", trace.Model);
        Assert.Null(PriceTable.For(_world.LoadManifest()).Known(trace.Model, trace.CostUsd));
    }

    // The shadow candidate on the app's own client named the candidate release's model (canary-model) the same way.
    [Fact]
    public async Task InnerClientMode_ShadowCandidateOfACallNamingNoModel_TraceHasNoModel()
    {
        var own = new ScriptedChatClient("my-own-model");
        await _world.SetAsync(s => s with { Shadow = new ShadowState("sh-nomodel", _world.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await using var host = await SdkHost.StartAsync(_world, s => s.AddChatClient(own).UseGlidepath(c => c.Mode = GlidepathMode.InnerClient));

        var response = await host.Chat.GetResponseAsync("Can I return shoes after 45 days?");
        var pair = await StoreWait.ShadowPairAsync(_world.Store, "sh-nomodel", (string)response.AdditionalProperties![GlidepathProperties.TraceId]!);

        var stable = await _world.TraceAsync(pair.StableTraceId);
        var candidate = await _world.TraceAsync(pair.CandidateTraceId);
        Assert.Equal((200, 200), (stable.Status, candidate.Status));
        Assert.Equal(((string?)null, (string?)null), (stable.Model, candidate.Model));
    }
}
