using Glidepath.Environments;
using Glidepath.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>What only the SDK does: the inner-client mode, the ambient subject, streaming to an app, failures as exceptions.</summary>
public sealed class GlidepathChatClientTests : IAsyncLifetime
{
    private ServingWorld _world = null!;

    public async Task InitializeAsync() => _world = await ServingWorld.CreateAsync(prefix: "gp-sdk-");

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task InnerClientMode_AppliesReleasePromptParametersAndToolsButKeepsTheCallersModel()
    {
        var own = new ScriptedChatClient("my-own-model");
        await using var host = await SdkHost.StartAsync(_world, s => s.AddChatClient(own).UseGlidepath(c => c.Mode = GlidepathMode.InnerClient));
        var options = new ChatOptions { ModelId = "my-own-model", AdditionalProperties = new() { ["app_flag"] = "x", [GlidepathProperties.Subject] = "alice" } };

        var response = await host.Chat.GetResponseAsync("Can I return shoes after 45 days?", options);

        Assert.Equal("hello from the fake", response.Text);
        Assert.Equal(1, own.Calls);
        Assert.Equal(0, _world.Models.For("stable-model").Calls);
        Assert.Contains("You are helping a standard tier customer", own.LastMessages![0].Text, StringComparison.Ordinal);
        Assert.Equal("my-own-model", own.LastOptions!.ModelId);
        Assert.Equal((0.2f, 400), (own.LastOptions.Temperature, own.LastOptions.MaxOutputTokens));
        Assert.Equal(["lookup_order", "issue_refund", "escalate"], own.LastOptions.Tools!.Select(t => t.Name));
        Assert.Equal("x", own.LastOptions.AdditionalProperties!["app_flag"]);
        Assert.False(own.LastOptions.AdditionalProperties.ContainsKey(GlidepathProperties.Subject));
        Assert.Equal("alice", options.AdditionalProperties[GlidepathProperties.Subject]); // the caller's options are not changed
        var trace = await _world.TraceAsync((string)response.AdditionalProperties![GlidepathProperties.TraceId]!);
        Assert.Equal(("my-own-model", _world.V1.Id, await _world.SubjectHashAsync("alice")), (trace.Model, trace.ReleaseId, trace.SubjectHash));
    }

    // A trial: with a shadow on, the candidate was answered by its release's own provider, which this mode never builds:
    // the app's data went to a provider it never chose, and a missing key made every pair a candidate error (a harm
    // verdict for good). The candidate is answered by the app's own client, its release applied by the same rule.
    [Fact]
    public async Task InnerClientMode_ShadowCandidate_AnsweredByTheAppsOwnClient_NeverTheReleasesProvider()
    {
        var own = new ScriptedChatClient("my-own-model");
        var state = await _world.SetAsync(s => s with { Shadow = new ShadowState("sh-inner", _world.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await using var host = await SdkHost.StartAsync(_world, s => s.AddChatClient(own).UseGlidepath(c => c.Mode = GlidepathMode.InnerClient));
        var options = new ChatOptions { ModelId = "my-own-model", AdditionalProperties = new() { [GlidepathProperties.Subject] = "alice" } };

        var response = await host.Chat.GetResponseAsync("Can I return shoes after 45 days?", options);
        var pair = await StoreWait.ShadowPairAsync(_world.Store, "sh-inner", (string)response.AdditionalProperties![GlidepathProperties.TraceId]!);

        Assert.True(state.Revision > 0);
        Assert.Equal((_world.V1.Id, _world.V2.Id, false), (pair.StableReleaseId, pair.CandidateReleaseId, pair.CandidateError));
        Assert.Equal(2, own.Calls);
        Assert.Equal(0, _world.Models.For("canary-model").Calls);
        Assert.Equal(0, _world.Models.For("stable-model").Calls);
        Assert.Equal("my-own-model", own.LastOptions!.ModelId);
        Assert.Contains("You are helping a standard tier customer", own.LastMessages![0].Text, StringComparison.Ordinal);
        var candidate = await _world.TraceAsync(pair.CandidateTraceId);
        Assert.Equal((Glidepath.Routing.Arm.Shadow, "my-own-model", 200), (candidate.Arm, candidate.Model, candidate.Status));
    }

    // A review: the app's own pipeline below Glidepath may invoke functions (UseFunctionInvocation), and the shadow's
    // call went through it with the app's invocable tools: a candidate's tool call ran for real in the background.
    [Fact]
    public async Task InnerClientMode_ShadowCandidateCallsAnAppTool_NeverRunByTheShadow_AndTheCallIsMarked()
    {
        var own = new ScriptedChatClient("my-own-model")
        {
            Answer = (messages, _) => messages.Any(m => m.Contents.OfType<FunctionResultContent>().Any())
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "Cancelled."))
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "cancel_order", new Dictionary<string, object?> { ["order_id"] = "A-1" })])) { FinishReason = ChatFinishReason.ToolCalls },
        };
        var runs = 0;
        var cancel = AIFunctionFactory.Create((string order_id) => { Interlocked.Increment(ref runs); return "cancelled " + order_id; }, "cancel_order");
        await _world.SetAsync(s => s with { Shadow = new ShadowState("sh-tools", _world.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await using var host = await SdkHost.StartAsync(_world, s => s.AddChatClient(new ChatClientBuilder(own).UseFunctionInvocation().Build()).UseGlidepath(c => c.Mode = GlidepathMode.InnerClient));
        var options = new ChatOptions { ModelId = "my-own-model", Tools = [cancel] };

        var response = await host.Chat.GetResponseAsync("Cancel order A-1, please.", options);
        var pair = await StoreWait.ShadowPairAsync(_world.Store, "sh-tools", (string)response.AdditionalProperties![GlidepathProperties.TraceId]!);

        Assert.Equal("Cancelled.", response.Text);
        Assert.Equal(1, runs); // the caller's own call ran it once; the shadow's never did
        Assert.False(pair.CandidateError);
        Assert.Equal(true, own.LastOptions!.AdditionalProperties![GlidepathProperties.Shadow]);
        Assert.All(own.LastOptions.Tools!, t => Assert.IsNotType<AIFunction>(t, exactMatch: false));
    }

    [Fact]
    public async Task TwoCallsInOneAppTrace_EachStoredUnderItsOwnId()
    {
        // An app that records spans makes several model calls in one of its own traces: each call is a trace of its
        // own in the store (one id for all would keep the first and drop the rest as duplicates).
        using var source = new System.Diagnostics.ActivitySource("GlidepathChatClientTests");
        var appTrace = default(System.Diagnostics.ActivityTraceId);
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name is "GlidepathChatClientTests" or "Glidepath",

            // Glidepath's spans only inside this test's own app trace: other tests' calls stay as they are.
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> o) =>
                o.Source.Name == "GlidepathChatClientTests" || (appTrace != default && o.Parent.TraceId == appTrace)
                    ? System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded
                    : System.Diagnostics.ActivitySamplingResult.None,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var host = await SdkHost.StartAsync(_world);

        string[] ids;
        using (var request = source.StartActivity("app request", System.Diagnostics.ActivityKind.Server))
        {
            appTrace = request!.TraceId;
            var first = await host.Chat.GetResponseAsync("Can I return shoes after 45 days?");
            var second = await host.Chat.GetResponseAsync("Where is my order?");
            ids = [(string)first.AdditionalProperties![GlidepathProperties.TraceId]!, (string)second.AdditionalProperties![GlidepathProperties.TraceId]!];
            Assert.DoesNotContain(request!.TraceId.ToHexString(), ids);
        }

        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal(ids[0], (await _world.TraceAsync(ids[0])).TraceId);
        Assert.Equal(ids[1], (await _world.TraceAsync(ids[1])).TraceId);
    }

    [Fact]
    public async Task InnerClientMode_AppsClientChangesToolsAndSystemMessage_TheNextCallGetsTheReleasesOwn()
    {
        // The release's tools and rendered system message are shared between calls on the release's own provider; an
        // app's client is given copies, so middleware that adds a tool or edits the prompt changes only its own call.
        var own = new ScriptedChatClient("my-own-model");
        var meddler = new Meddler(own);
        await using var host = await SdkHost.StartAsync(_world, s => s.AddChatClient(meddler).UseGlidepath(c => c.Mode = GlidepathMode.InnerClient));

        await host.Chat.GetResponseAsync("first", new ChatOptions { ModelId = "my-own-model" });
        await host.Chat.GetResponseAsync("second", new ChatOptions { ModelId = "my-own-model" });

        Assert.Equal(2, own.Calls);
        Assert.Equal(["lookup_order", "issue_refund", "escalate", "meddled"], own.LastOptions!.Tools!.Select(t => t.Name));
        Assert.Single(own.LastMessages![0].Contents, c => c is TextContent { Text: " meddled" });
    }

    [Fact]
    public async Task AmbientSubject_RoutesLikeTheSameSubjectInChatOptions_AndChatOptionsWins()
    {
        await SetCanaryAsync(50, "seed-a");
        await using var host = await SdkHost.StartAsync(_world);
        await WaitForCanaryAsync(host);
        var (onCanary, onStable) = (Subject(canary: true, "seed-a"), Subject(canary: false, "seed-a"));

        string ambientArm, explicitArm;
        using (GlidepathSubject.Use(onCanary))
        {
            ambientArm = Arm(await host.Chat.GetResponseAsync("hi"));
            explicitArm = Arm(await host.Chat.GetResponseAsync("hi", new ChatOptions { AdditionalProperties = new() { [GlidepathProperties.Subject] = onStable } }));
        }

        Assert.Equal(("canary", "stable"), (ambientArm, explicitArm));
        Assert.Null(GlidepathSubject.Current);
    }

    [Fact]
    public async Task Streaming_YieldsTheAnswerWithReleaseOnTheFirstUpdateAndTracesTheStream()
    {
        await using var host = await SdkHost.StartAsync(_world);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in host.Chat.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.Equal("hello from the fake", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(_world.V1.Label, updates[0].AdditionalProperties![GlidepathProperties.Release]);
        var trace = await _world.TraceAsync((string)updates[0].AdditionalProperties![GlidepathProperties.TraceId]!);
        Assert.Equal((200, true, "sdk", 16L), (trace.Status, trace.Stream, trace.Api, trace.InputTokens + trace.OutputTokens));
        Assert.Equal(1, trace.Attempts); // the release's client: one provider call, counted (retry_rate)
    }

    [Fact]
    public async Task ProviderFails_GlidepathChatExceptionWithStatusTraceAndTheProvidersException()
    {
        await using var host = await SdkHost.StartAsync(_world);
        var failure = new Glidepath.Errors.ProviderException("sim", 500, "boom", Glidepath.Errors.ProviderFailure.ServerError);
        _world.Models.For("stable-model").Failure = failure;

        var ex = await Assert.ThrowsAsync<GlidepathChatException>(() => host.Chat.GetResponseAsync("hi"));

        Assert.Equal((502, "api_error", _world.V1.Label, "stable"), (ex.Status, ex.Kind, ex.Release, ex.Arm));
        Assert.Same(failure, ex.InnerException);
        var trace = await _world.TraceAsync(ex.TraceId!);
        Assert.Equal((502, "provider_error"), (trace.Status, trace.Error));
    }

    [Fact]
    public async Task EnvironmentWithoutStableRelease_503GlidepathChatException()
    {
        await using var host = await SdkHost.StartAsync(_world, environment: "production");

        var ex = await Assert.ThrowsAsync<GlidepathChatException>(() => host.Chat.GetResponseAsync("hi"));

        // production requires staging: the path goes through staging first, then promotes (it said deploy on production).
        Assert.Equal(503, ex.Status);
        Assert.Contains("put one in with 'glidepath deploy <REF> --env staging', then 'glidepath promote <REF> --env production'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallAfterTheRuntimeStopped_SaysItStopped_NotThatTheHostShouldStart()
    {
        var host = await SdkHost.StartAsync(_world);
        var chat = host.Chat;
        var runtime = host.Runtime;
        await host.DisposeAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => chat.GetResponseAsync("hi"));

        Assert.False(runtime.IsStarted);
        Assert.Equal("Glidepath has stopped (its host stopped, or the runtime was disposed): calls are not routed after that", ex.Message);
    }

    [Fact]
    public void UseGlidepath_WithoutAddGlidepath_FailsNamingTheFix()
    {
        var collection = new ServiceCollection();
        collection.AddChatClient(new ScriptedChatClient("m")).UseGlidepath();
        using var services = collection.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IChatClient>());

        Assert.Contains("AddGlidepath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ManifestOfAnotherApp_FailsNamingBoth()
    {
        var runtime = new GlidepathRuntime(new GlidepathOptions { App = "billing-agent", Environment = "staging", Manifest = _world.ManifestPath, StoreInstance = _world.Store, Models = _world.Models },
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using (runtime)
        {
            var ex = await Assert.ThrowsAsync<Glidepath.Errors.BadInputException>(() => runtime.StartAsync(CancellationToken.None));

            Assert.Contains("'support-agent', not 'billing-agent'", ex.Message, StringComparison.Ordinal);
            Assert.False(runtime.IsStarted);
        }
    }

    private Task SetCanaryAsync(double weight, string seed) =>
        _world.SetAsync(s => s with { Canary = new CanaryState(_world.V2.Id, weight, seed) }, "canary_set");

    private static async Task WaitForCanaryAsync(SdkHost host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (host.Runtime.Chat.Routes?.Canary is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        Assert.NotNull(host.Runtime.Chat.Routes?.Canary);
    }

    private static string Subject(bool canary, string seed)
    {
        for (var i = 0; ; i++)
        {
            if (Glidepath.Routing.StickySplit.IsCanary(Glidepath.Routing.StickySplit.Bucket($"s{i}", seed), 50) == canary)
            {
                return $"s{i}";
            }
        }
    }

    private static string Arm(ChatResponse response) => (string)response.AdditionalProperties![GlidepathProperties.Arm]!;

    /// <summary>App middleware that changes what it is given: adds a tool and appends to the system message.</summary>
    private sealed class Meddler(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            list[0].Contents.Add(new TextContent(" meddled"));
            options!.Tools!.Add(AIFunctionFactory.CreateDeclaration("meddled", "added by the app", System.Text.Json.JsonDocument.Parse("{}").RootElement));
            return base.GetResponseAsync(list, options, cancellationToken);
        }
    }
}
