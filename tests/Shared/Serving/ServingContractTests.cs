using Glidepath.Environments;
using Glidepath.Routing;
using Microsoft.Extensions.AI;

namespace Glidepath.Testing;

/// <summary>
/// The cases every serving host must pass the same way, whatever brings the call: routing (the sticky split, frozen,
/// rollback, fail static), release application and trace contents. The gateway's and the SDK's test projects each
/// derive a class that only says how to start their host and send a call; the cases live here once.
/// </summary>
public abstract class ServingContractTests : IAsyncLifetime
{
    private IServingChannel? _channel;

    internal ServingWorld World { get; private set; } = null!;

    internal IServingChannel Channel => _channel ?? throw new InvalidOperationException("start the host first");

    /// <summary>Starts the host under test over <paramref name="world"/> (staging, the world's store and scripted models).</summary>
    internal abstract Task<IServingChannel> StartHostAsync(ServingWorld world);

    public async Task InitializeAsync() => World = await ServingWorld.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        await World.DisposeAsync();
    }

    private async Task<IServingChannel> StartAsync() => _channel = await StartHostAsync(World);

    private async Task<Served> ServeAsync(ServedRequest? request = null)
    {
        var served = await Channel.SendAsync(request ?? new ServedRequest());
        Assert.True(served.Status == 200, $"status {served.Status}");
        return served;
    }

    private async Task SetAndWaitAsync(Func<EnvironmentState, EnvironmentState> change, string kind) =>
        await Channel.WaitForRevisionAsync((await World.SetAsync(change, kind)).Revision);

    [Fact]
    public async Task Route_CanaryAtFiftyPercent_SameSubjectSameArmAndReleaseMatchesArm()
    {
        await StartAsync();
        await SetAndWaitAsync(s => s with { Canary = new CanaryState(World.V2.Id, 50, "seed-1") }, "canary_set");

        var arms = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var first = await ServeAsync(new ServedRequest(Subject: $"subject-{i}"));
            var second = await ServeAsync(new ServedRequest(Subject: $"subject-{i}"));
            Assert.Equal((first.Release, first.Arm), (second.Release, second.Arm));
            Assert.Equal(first.Arm == "canary" ? World.V2.Label : World.V1.Label, first.Release);
            arms.Add(first.Arm!);
        }

        Assert.Equal(2, arms.Count);
    }

    [Fact]
    public async Task Route_Subject_ArmIsTheDocumentedSplitsBucket()
    {
        await StartAsync();
        await SetAndWaitAsync(s => s with { Canary = new CanaryState(World.V2.Id, 30, "seed-2") }, "canary_set");

        for (var i = 0; i < 40; i++)
        {
            var expected = StickySplit.IsCanary(StickySplit.Bucket($"user-{i}", "seed-2"), 30) ? "canary" : "stable";
            Assert.Equal(expected, (await ServeAsync(new ServedRequest(Subject: $"user-{i}"))).Arm);
        }
    }

    [Fact]
    public async Task Route_Frozen_CanarySuspended()
    {
        await StartAsync();
        await SetAndWaitAsync(s => s with { Canary = new CanaryState(World.V2.Id, 100, "seed"), Frozen = true }, "freeze");

        var served = await ServeAsync(new ServedRequest(Subject: "anyone"));

        Assert.Equal((World.V1.Label, "stable"), (served.Release, served.Arm));
    }

    [Fact]
    public async Task Rollback_RunningHost_ServesThePreviousRelease()
    {
        await StartAsync();
        await SetAndWaitAsync(s => s with { StableReleaseId = World.V2.Id }, "deploy");
        Assert.Equal(World.V2.Label, (await ServeAsync()).Release);

        await World.SetAsync(s => s with { StableReleaseId = World.V1.Id }, "rollback");

        // Followed at the next poll (100 ms here); waited for generously, so a loaded machine cannot fail it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? release;
        while ((release = (await ServeAsync()).Release) != World.V1.Label && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(World.V1.Label, release);
    }

    [Fact]
    public async Task StoreUnreadable_CallsKeepSucceedingOnTheLastTableAndControlPlaneReportsStale()
    {
        await StartAsync();
        Assert.Equal(World.V1.Label, (await ServeAsync()).Release);

        StoreVandal.MakeUnreadable(World.StorePath);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!await Channel.IsControlPlaneStaleAsync() && DateTime.UtcNow < deadline)
            {
                Assert.Equal(World.V1.Label, (await ServeAsync()).Release);
                await Task.Delay(50);
            }

            Assert.True(await Channel.IsControlPlaneStaleAsync(), "the control plane never reported stale");
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(World.V1.Label, (await ServeAsync(new ServedRequest(Subject: $"s{i}"))).Release);
            }
        }
        finally
        {
            StoreVandal.Restore(World.StorePath);
        }
    }

    [Fact]
    public async Task Call_AppliesReleasePromptWithCallVarsModelParametersAndTools()
    {
        await StartAsync();

        await ServeAsync(new ServedRequest(Vars: new Dictionary<string, string> { ["customer_tier"] = "gold" }));

        var client = World.Models.For("stable-model");
        var system = client.LastMessages![0];
        Assert.Equal(ChatRole.System, system.Role);
        Assert.Contains("You are helping a gold tier customer", system.Text, StringComparison.Ordinal);
        Assert.Equal("stable-model", client.LastOptions!.ModelId);
        Assert.Equal(0.2f, client.LastOptions.Temperature);
        Assert.Equal(400, client.LastOptions.MaxOutputTokens);
        Assert.Equal(["lookup_order", "issue_refund", "escalate"], client.LastOptions.Tools!.Select(t => t.Name));
    }

    [Fact]
    public async Task Call_EnvironmentVarOnly_RendersEnvironmentValue()
    {
        await StartAsync();

        await ServeAsync();

        Assert.Contains("You are helping a standard tier customer", World.Models.For("stable-model").LastMessages![0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_CanaryArm_CallsTheCanaryReleasesModel()
    {
        await StartAsync();
        await SetAndWaitAsync(s => s with { Canary = new CanaryState(World.V2.Id, 100, "seed") }, "canary_set");

        var served = await ServeAsync(new ServedRequest(Subject: "bob"));

        Assert.Equal((World.V2.Label, "canary"), (served.Release, served.Arm));
        Assert.Equal(1, World.Models.For("canary-model").Calls);
        Assert.Equal(0, World.Models.For("stable-model").Calls);
    }

    [Fact]
    public async Task Call_ProviderRateLimited_429AndTracedAsTheArmsError()
    {
        await StartAsync();
        World.Models.For("stable-model").Failure = new Glidepath.Errors.ProviderException("sim", 429, "slow down", Glidepath.Errors.ProviderFailure.RateLimited);

        var served = await Channel.SendAsync(new ServedRequest(Subject: "alice"));

        Assert.Equal(429, served.Status);
        var trace = await World.TraceAsync(served.TraceId!);
        Assert.Equal((429, "rate_limited", "stable", World.V1.Id), (trace.Status, trace.Error, trace.Arm, trace.ReleaseId));
    }

    [Fact]
    public async Task Call_WritesTraceWithReleaseArmHashedSubjectTokensAndApi()
    {
        await StartAsync();

        var trace = await World.TraceAsync((await ServeAsync(new ServedRequest(Subject: "alice"))).TraceId!);

        Assert.Equal((World.V1.Id, "stable", 200, Channel.Api), (trace.ReleaseId, trace.Arm, trace.Status, trace.Api));
        Assert.Equal(await World.SubjectHashAsync("alice"), trace.SubjectHash);
        Assert.Equal((12L, 4L), (trace.InputTokens, trace.OutputTokens));
        Assert.Equal("stop", trace.FinishReason);
        Assert.True(trace.LatencyMs >= trace.OverheadMs);
        Assert.Equal("stable-model", trace.Model);
    }

    [Fact]
    public async Task Calls_UpdatePerArmAggregates()
    {
        await StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await World.TraceAsync((await ServeAsync(new ServedRequest(Subject: "alice"))).TraceId!);
        }

        var stats = await World.Store.Traces.ArmStatsAsync("support-agent", "staging", DateTimeOffset.UtcNow.AddMinutes(-5), null, default);
        var stable = Assert.Single(stats);
        Assert.Equal((World.V1.Id, "stable", 3L, 0L), (stable.ReleaseId, stable.Arm, stable.Count, stable.Errors));
        Assert.Equal(36, stable.InputTokens);
    }

    [Fact]
    public async Task CaptureAll_ContentStoredWithEmailAndPhoneRedacted()
    {
        World.EditManifest("capture: { content: sampled", "capture: { content: all");
        await StartAsync();
        World.Models.For("stable-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "We will email bob@example.org"));

        var trace = await World.TraceAsync((await ServeAsync(new ServedRequest("I am jane.doe@example.com, call +1 (555) 010-2030"))).TraceId!);

        Assert.Contains("I am [email], call [phone]", trace.InputJson, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", trace.InputJson!, StringComparison.Ordinal);
        Assert.Equal("We will email [email]", trace.OutputText);
    }

    [Fact]
    public async Task CaptureSampledNotChosen_NoContentOnTrace()
    {
        await StartAsync();

        // The sample manifest says capture: sampled at online.sample_rate 0.2; find one trace that was not sampled.
        for (var i = 0; i < 20; i++)
        {
            var trace = await World.TraceAsync((await ServeAsync()).TraceId!);
            if (trace.InputJson is null)
            {
                Assert.Null(trace.OutputText);
                return;
            }
        }

        Assert.Fail("every one of 20 traces captured content at a 20% sample rate");
    }

    [Fact]
    public async Task OnlineSampleRateOne_EveryTraceScored_FailingAnswerNotPassed_AggregatesCount()
    {
        World.EditManifest("sample_rate: 0.2", "sample_rate: 1.0");
        await StartAsync();
        var client = World.Models.For("stable-model");
        client.Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "I'm not sure about that.")) { FinishReason = ChatFinishReason.Stop };
        var bad = await World.TraceAsync((await ServeAsync(new ServedRequest(Subject: "a"))).TraceId!);
        client.Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "Items can be returned within 30 days.")) { FinishReason = ChatFinishReason.Stop };
        var good = await World.TraceAsync((await ServeAsync(new ServedRequest(Subject: "b"))).TraceId!);

        Assert.Equal(false, bad.OnlinePassed);
        Assert.True(bad.OnlineScore < 1);
        Assert.Contains("not_contains", bad.OnlineScoresJson, StringComparison.Ordinal);
        Assert.Equal(true, good.OnlinePassed);
        Assert.Equal(1, good.OnlineScore);
        var stats = Assert.Single(await World.Store.Traces.ArmStatsAsync("support-agent", "staging", DateTimeOffset.UtcNow.AddMinutes(-5), null, default));
        Assert.Equal((2L, 1L), (stats.OnlineScored, stats.OnlinePassed));
    }

    [Fact]
    public async Task Shadow_RateOne_CallerServedByStableAndThePairStoredWithBothTraces()
    {
        // Issue 20: mirroring lives in the serving core, so a gateway and an SDK app mirror alike.
        await StartAsync();
        await SetAndWaitAsync(s => s with { Shadow = new ShadowState("sh-contract", World.V2.Id, 1, null, null) }, "shadow_start");

        var served = await ServeAsync(new ServedRequest(Subject: "alice"));

        Assert.Equal((World.V1.Label, "stable"), (served.Release, served.Arm));
        var pair = await StoreWait.ShadowPairAsync(World.Store, "sh-contract", served.TraceId!);
        Assert.Equal((World.V1.Id, World.V2.Id, false), (pair.StableReleaseId, pair.CandidateReleaseId, pair.CandidateError));
        var candidate = await World.TraceAsync(pair.CandidateTraceId);
        Assert.Equal((Arm.Shadow, World.V2.Id, 200), (candidate.Arm, candidate.ReleaseId, candidate.Status));
        Assert.Equal((await World.TraceAsync(served.TraceId!)).SubjectHash, candidate.SubjectHash);
    }
}
