using System.Net;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Keys;

/// <summary>
/// A release whose prompt needs a template variable the request does not bring. The sample's prompt uses
/// {{customer_tier}}; staging sets it in vars and lets callers set it (request_vars). A variable nobody may set, or one
/// only the canary needs, counts against the release, so a canary that fails every request it gets is rolled back
/// rather than left unjudged; one both releases need is the caller's to fix, and counts against neither.
/// </summary>
public sealed class PromptVariableTests
{
    [Theory]
    [InlineData(CallerKeyTests.OpenAi)]
    [InlineData(CallerKeyTests.Anthropic)]
    public async Task Chat_VariableTheEnvironmentNeitherSetsNorLetsCallersSet_503Configuration_CountsAgainstTheRelease(string path)
    {
        await using var f = await StartAsync(callersMaySetIt: false);

        using var response = await f.PostAsync(path, path == CallerKeyTests.OpenAi ? GatewayFixture.Chat() : GatewayFixture.Message());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var message = WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync());
        Assert.Contains("'customer_tier'", message, StringComparison.Ordinal);
        Assert.Contains("environments.staging.vars", message, StringComparison.Ordinal);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((503, "configuration", true), (trace.Status, trace.Error, trace.IsError));
        Assert.Equal(0, f.Models.Clients.Values.Sum(c => c.Calls));
    }

    [Fact]
    public async Task Chat_RequestVariableBothReleasesNeedLeftOut_400_ARefusalThatCountsAgainstNoRelease()
    {
        // Else a caller could pick subjects that land on the canary and leave the variable out to roll it back.
        await using var f = await StartAsync(callersMaySetIt: true);

        using var response = await f.PostAsync(CallerKeyTests.OpenAi, GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'customer_tier'", WireAssert.ErrorMessage(CallerKeyTests.OpenAi, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((400, "bad_request", false), (trace.Status, trace.Error, trace.IsError));

        // With the header it is served.
        using var served = await f.PostAsync(CallerKeyTests.OpenAi, GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Var-customer_tier", "gold"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Chat_RequestVariableOnlyTheCanaryNeeds_LeftOut_400_CountsAgainstTheCanary()
    {
        // The canary's prompt added {{region}}; callers, written for the stable release, do not send it: the canary fails them.
        await using var f = await GatewayFixture.CreateAsync();
        f.World.EditManifest("request_vars: [customer_tier]   # the only", "request_vars: [customer_tier, region]   # the only");
        await File.AppendAllTextAsync(Path.Combine(f.Directory, "prompts", "system.md"), "\nRegional office: {{region}}\n");
        var v3 = (await f.Store.Releases.RegisterAsync(await Glidepath.Releases.ReleaseDrafts.FromWorkingTreeAsync(f.World.LoadManifest(), "v3", TimeProvider.System, default), default)).Release;
        await f.SetAsync(s => s with { Canary = new Glidepath.Environments.CanaryState(v3.Id, 100, "seed") }, "canary_set");
        await f.StartAsync();

        using var response = await f.PostAsync(CallerKeyTests.OpenAi, GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((v3.Id, "canary", 400, "missing_variable", true), (trace.ReleaseId, trace.Arm, trace.Status, trace.Error, trace.IsError));
    }

    /// <summary>A gateway on staging with customer_tier taken out of its vars, and out of its request_vars unless <paramref name="callersMaySetIt"/>.</summary>
    private static async Task<GatewayFixture> StartAsync(bool callersMaySetIt)
    {
        var f = await GatewayFixture.CreateAsync();
        f.World.EditManifest("vars: { customer_tier: standard }   # fills", "vars: {}   # fills");
        if (!callersMaySetIt)
        {
            f.World.EditManifest("request_vars: [customer_tier]   # the only", "request_vars: []   # the only");
        }

        await f.StartAsync();
        return f;
    }
}
