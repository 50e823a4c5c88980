using System.Net;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Keys;

/// <summary>
/// A release whose prompt needs a template variable the request does not bring. The sample's prompt uses
/// {{customer_tier}}; staging sets it in vars and lets callers set it (request_vars). Either way the request counts
/// against the release, so a canary that fails every request it gets is rolled back rather than left unjudged.
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
    public async Task Chat_RequestVariableTheCallerLeftOut_400_CountsAgainstTheRelease()
    {
        await using var f = await StartAsync(callersMaySetIt: true);

        using var response = await f.PostAsync(CallerKeyTests.OpenAi, GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'customer_tier'", WireAssert.ErrorMessage(CallerKeyTests.OpenAi, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((400, "missing_variable", true), (trace.Status, trace.Error, trace.IsError));

        // With the header it is served.
        using var served = await f.PostAsync(CallerKeyTests.OpenAi, GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Var-customer_tier", "gold"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    /// <summary>A gateway on staging with customer_tier taken out of its vars, and out of its request_vars unless <paramref name="callersMaySetIt"/>.</summary>
    private static async Task<GatewayFixture> StartAsync(bool callersMaySetIt)
    {
        var f = await GatewayFixture.CreateAsync();
        f.World.EditManifest("\"https://kb.staging.northwind.example\", customer_tier: standard }", "\"https://kb.staging.northwind.example\" }");
        if (!callersMaySetIt)
        {
            f.World.EditManifest("request_vars: [customer_tier]   # the only", "request_vars: []   # the only");
        }

        await f.StartAsync();
        return f;
    }
}
