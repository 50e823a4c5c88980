using System.Net;
using Glidepath.Access;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary><c>Glidepath-Probe: route</c> is answered only with an access token holding the admin role in the gateway's environment.</summary>
public sealed class ProbeTokenTests
{
    [Theory]
    [InlineData("admin-staging", 204)]
    [InlineData("admin-all", 204)]
    [InlineData("admin-production", 403)]
    [InlineData("owner-staging", 403)]
    [InlineData("revoked", 403)]
    [InlineData("unknown", 403)]
    [InlineData("none", 403)]
    public async Task RouteProbe_OnlyAnAdminOfThisEnvironment_Gets204WithRoutingHeaders_NeverAProviderCall(string presented, int expected)
    {
        // The environment keeps the default (routing_headers off): the probe names the release and arm all the same.
        await using var h = await AdminHarness.StartAsync();
        var revoked = await h.TokenAsync(Role.Admin, "staging", "old");
        await h.Tokens.RevokeAsync(h.F.Manifest.App, "old", "test", null, default);
        var token = presented switch
        {
            "admin-staging" => await h.TokenAsync(Role.Admin, "staging"),
            "admin-all" => await h.TokenAsync(Role.Admin, "*"),
            "admin-production" => await h.TokenAsync(Role.Admin, "production"),
            "owner-staging" => await h.TokenAsync(Role.Owner, "staging"),
            "revoked" => revoked,
            "unknown" => AccessTokenSecret.New(),
            _ => null,
        };

        using var response = await h.F.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r =>
        {
            r.Headers.Add("Glidepath-Probe", "route");
            if (token is not null)
            {
                r.Headers.Add("Glidepath-Admin-Token", token);
            }
        });

        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        Assert.Equal(expected == 204, response.Headers.Contains("Glidepath-Arm"));
        if (expected == 204)
        {
            Assert.Equal(h.F.V1.Label, response.Headers.GetValues("Glidepath-Release").Single());
        }

        Assert.Equal(0, h.F.Models.For("stable-model").Calls);
    }

    // "Route" or "ROUTE " is the probe; any other value used to fall through to a billed model call.
    [Theory]
    [InlineData("Route", 204)]
    [InlineData("ROUTE", 204)]
    [InlineData("routes", 400)]
    [InlineData("yes", 400)]
    public async Task RouteProbe_ValueOtherThanRoute_Is400NeverAProviderCall(string value, int expected)
    {
        await using var h = await AdminHarness.StartAsync();
        var token = await h.TokenAsync(Role.Admin, "staging");

        using var response = await h.F.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r =>
        {
            r.Headers.TryAddWithoutValidation("Glidepath-Probe", value);
            r.Headers.Add("Glidepath-Admin-Token", token);
        });

        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        if (expected == 400)
        {
            Assert.Contains("is not a probe this gateway knows", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, h.F.Models.For("stable-model").Calls);
    }
}
