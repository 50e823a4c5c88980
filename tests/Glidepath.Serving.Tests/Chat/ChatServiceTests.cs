using System.Text;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Tests.Support;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Tests.Chat;

/// <summary>The serving core called directly, as an in-process client would: no web host, the simulated model, a SQLite store.</summary>
public sealed class ChatServiceTests
{
    [Fact]
    public async Task Call_NoWebHost_AnswersAndItsTraceReachesTheStore()
    {
        await using var f = await ServingFixture.StartAsync();
        using var call = f.Chat.Route(ServingFixture.Context(subject: "alice"), Request())!;

        Assert.True(call.Prepare(Request()));
        var response = await call.GetResponseAsync(CancellationToken.None);
        call.Complete();

        Assert.NotNull(response);
        Assert.NotEmpty(response.Text);
        Assert.Equal((f.V1.Label, "stable"), (call.ReleaseLabel, call.Arm));
        var trace = await f.TraceAsync(call.TraceId);
        Assert.Equal((f.V1.Id, "stable", "sdk", 200, false), (trace.ReleaseId, trace.Arm, trace.Api, trace.Status, trace.Stream));
        Assert.NotNull(trace.SubjectHash);
        Assert.True(trace.InputTokens > 0 && trace.OutputTokens > 0 && trace.CostUsd > 0, $"tokens {trace.InputTokens}/{trace.OutputTokens}, cost {trace.CostUsd}");
    }

    [Fact]
    public async Task StreamingCall_NoWebHost_YieldsTheAnswerAndTracesTheStream()
    {
        await using var f = await ServingFixture.StartAsync();
        var request = Request(stream: true);
        using var call = f.Chat.Route(ServingFixture.Context(), request)!;
        Assert.True(call.Prepare(request));

        var text = new StringBuilder();
        await foreach (var update in call.GetStreamingResponseAsync(CancellationToken.None))
        {
            text.Append(update.Text);
        }

        call.Complete();

        Assert.Null(call.Failure);
        Assert.NotEqual(0, text.Length);
        var trace = await f.TraceAsync(call.TraceId);
        Assert.Equal((200, true, null), (trace.Status, trace.Stream, trace.Error));
        Assert.NotNull(trace.TimeToFirstTokenMs);
        Assert.Null(trace.SubjectHash);
    }

    [Fact]
    public async Task Prepare_PromptVariableNobodySets_Fails503Configuration_CountingAgainstTheRelease()
    {
        // warehouse is neither in the environment's vars nor open to callers (request_vars): the release cannot be served here.
        await using var f = await ServingFixture.StartAsync(promptAppend: "\nShip from {{warehouse}}.\n");
        using var call = f.Chat.Route(ServingFixture.Context(), Request())!;

        Assert.False(call.Prepare(Request()));
        call.Complete();

        Assert.Equal((503, ErrorKinds.Unavailable, "configuration"), (call.Failure!.Status, call.Failure.Kind, call.Failure.TraceError));
        Assert.Contains("'warehouse'", call.Failure.Message, StringComparison.Ordinal);
        var trace = await f.TraceAsync(call.TraceId);
        Assert.Equal((503, "configuration", true), (trace.Status, trace.Error, trace.IsError));
    }

    [Fact]
    public async Task Prepare_CallBringsTheVariable_RendersTheReleasePrompt()
    {
        await using var f = await ServingFixture.StartAsync(promptAppend: "\nShip from {{warehouse}}.\n");
        using var call = f.Chat.Route(ServingFixture.Context(vars: new Dictionary<string, string> { ["warehouse"] = "Leeds" }), Request())!;

        Assert.True(call.Prepare(Request()));
        Assert.NotNull(await call.GetResponseAsync(CancellationToken.None));
        Assert.Null(call.Failure);
    }

    [Fact]
    public async Task Route_EnvironmentWithoutStableRelease_ReturnsNull()
    {
        await using var f = await ServingFixture.StartAsync(environment: "production");

        Assert.Null(f.Chat.Route(ServingFixture.Context(), Request()));
    }

    // Newcomer trial L1: the 503 said 'glidepath promote v1 --env production' when no v1 existed and production requires
    // staging first. It gives the path in order, with a placeholder for a release that exists.
    [Fact]
    public async Task NoStableRelease_EnvironmentWithRequires_GivesTheWholePathInOrderNamingNoRelease()
    {
        await using var f = await ServingFixture.StartAsync(environment: "production");

        Assert.Equal("environment 'production' of 'support-agent' has no stable release yet; put one in with 'glidepath deploy <REF> --env staging', "
            + "then 'glidepath promote <REF> --env production' (<REF>: a release from 'glidepath release list')", f.Chat.NoStableRelease);
    }

    private static ChatRequest Request(bool stream = false) => new()
    {
        Model = "support-agent",
        Messages = [new ChatMessage(ChatRole.User, "Can I return shoes after 45 days?")],
        Options = new ChatOptions(),
        Stream = stream,
    };
}
