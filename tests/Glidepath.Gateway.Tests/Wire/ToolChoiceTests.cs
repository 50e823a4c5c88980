using System.Net;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Wire;

/// <summary>
/// A <c>tool_choice</c> that names a tool is checked against the release's tools merged with the caller's, after routing
/// and on both paths: a name nobody declared is the caller's 400, never a model call (the real providers refuse it too,
/// which would count against the release as <c>provider_rejected</c>). A tool the canary dropped while the stable release
/// declares it counts against the canary (<c>missing_tool</c>), as a prompt variable only the canary needs does.
/// </summary>
public sealed class ToolChoiceTests
{
    private const string Chat = "/v1/chat/completions", Messages = "/v1/messages";

    public static TheoryData<string, string?> Paths() => new()
    {
        { Chat, null },
        { Messages, null },
        { Chat, "openai" },       // passed through to an OpenAI-compatible upstream
        { Messages, "anthropic" }, // passed through to Anthropic
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Chat_ToolChoiceNamesToolNobodyDeclared_400InvalidRequestNamingIt_NoModelCall(string path, string? passThroughTo)
    {
        await using var f = await StartAsync(passThroughTo);

        using var response = await f.PostAsync(path, Body(path, "zzz"), r => r.Headers.Add("Glidepath-Subject", "erin"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("'zzz'", WireAssert.ErrorMessage(path, body), StringComparison.Ordinal);
        Assert.Contains("\"invalid_request_error\"", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Glidepath-Arm"), "a refusal must not tell the caller its arm");
        Assert.False(response.Headers.Contains("Glidepath-Release"), "a refusal must not tell the caller its release");
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((400, "bad_request", false), (trace.Status, trace.Error, trace.IsError));
        Assert.Equal(0, f.Models.Clients.Values.Sum(c => c.Calls));
        Assert.True(f.Upstream is null || f.Upstream.Bodies.IsEmpty, "nothing reached the provider");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Chat_ToolChoiceNamesReleaseToolOrCallersOwn_Served(string path, string? passThroughTo)
    {
        await using var f = await StartAsync(passThroughTo);

        using var release = await f.PostAsync(path, Body(path, "lookup_order"));
        using var callers = await f.PostAsync(path, Body(path, "zzz", callerDeclaresIt: true));

        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal(HttpStatusCode.OK, callers.StatusCode);
    }

    [Theory]
    [InlineData(Chat)]
    [InlineData(Messages)]
    public async Task Chat_ToolChoiceNamesToolTheCanaryDropped_400_CountsAgainstTheCanary(string path)
    {
        // The canary's release no longer declares escalate; callers written for the stable release still name it.
        await using var f = await GatewayFixture.CreateAsync();
        f.ShowRoutingHeaders(); // a refusal that counts against the canary still does not name it
        f.World.EditManifest("tools/issue_refund.json, tools/escalate.json]", "tools/issue_refund.json]");
        var v3 = (await f.Store.Releases.RegisterAsync(await Glidepath.Releases.ReleaseDrafts.FromWorkingTreeAsync(f.World.LoadManifest(), "v3", TimeProvider.System, default), default)).Release;
        await f.SetAsync(s => s with { Canary = new Glidepath.Environments.CanaryState(v3.Id, 100, "seed") }, "canary_set");
        await f.StartAsync();

        using var response = await f.PostAsync(path, Body(path, "escalate"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'escalate'", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Glidepath-Arm"), "a refusal must not tell the caller its arm");
        var id = response.Headers.GetValues("Glidepath-Trace").Single();
        var trace = await f.TraceAsync(id);
        Assert.Equal((v3.Id, "canary", 400, "missing_tool", true), (trace.ReleaseId, trace.Arm, trace.Status, trace.Error, trace.IsError));
        var failed = await f.Store.Traces.ListAsync(new Glidepath.Traces.TraceQuery { App = "support-agent", Environment = "staging", ErrorsOnly = true }, default);
        Assert.Contains(failed, t => t.TraceId == id); // 'traces list --failed' and the judge's error count see it
    }

    private static async Task<GatewayFixture> StartAsync(string? passThroughTo)
    {
        var f = await GatewayFixture.CreateAsync(upstream: passThroughTo is null ? null : new GatewayUpstream(passThroughTo, PassThrough: true));
        f.ShowRoutingHeaders(); // answers name their arm here: a refusal still must not
        await f.StartAsync();
        return f;
    }

    private static string Body(string path, string tool, bool callerDeclaresIt = false)
    {
        const string Schema = """{"type":"object","properties":{"q":{"type":"string"}}}""";
        if (path == Chat)
        {
            var tools = callerDeclaresIt ? $$$""","tools":[{"type":"function","function":{"name":"{{{tool}}}","parameters":{{{Schema}}}}}]""" : "";
            return GatewayFixture.Chat(extra: $$$"""{{{tools}}},"tool_choice":{"type":"function","function":{"name":"{{{tool}}}"}}""");
        }

        var own = callerDeclaresIt ? $$$""","tools":[{"name":"{{{tool}}}","input_schema":{{{Schema}}}}]""" : "";
        return GatewayFixture.Message(extra: $$$"""{{{own}}},"tool_choice":{"type":"tool","name":"{{{tool}}}"}""");
    }
}
