using System.Net;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Gateway.Dashboard;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Dashboard.Tests;

/// <summary>The dashboard's roles are the admin API's, read from its endpoints; and it lives on the admin listener.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardRulesTests(Chromium chromium)
{
    [Theory]
    [InlineData("rollback", Role.Owner)]
    [InlineData("freeze", Role.Owner)]
    [InlineData("unfreeze", Role.Owner)]
    [InlineData("abort", Role.Owner)]
    [InlineData("pause", Role.Deployer)]
    [InlineData("resume", Role.Deployer)]
    public async Task Action_NeedsTheRoleOfItsAdminOperation(string action, Role role)
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var rules = new DashboardRules(h.F.Server!.Services.GetRequiredService<EndpointDataSource>());

        var access = rules.Of(DashboardAction.Find(action)!.AdminPattern);

        Assert.NotNull(access);
        Assert.Equal(role, access.Role);
        Assert.True(access.EnvironmentScoped);
    }

    [Fact]
    public async Task UnknownAdminPattern_IsRefusedForEveryone()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var rules = new DashboardRules(h.F.Server!.Services.GetRequiredService<EndpointDataSource>());
        var admin = new Principal("token:root", [new Grant("*", Role.Admin)]);

        Assert.False(rules.Allows(admin, "/admin/v1/environments/{env}/no-such-operation", "staging"));
    }

    [Fact]
    public async Task SeparateAdminListener_ServesTheDashboard_AndTheTrafficPortDoesNot()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser, o => o with { AdminUrls = ["http://127.0.0.1:0"] });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var onAdmin = await http.GetAsync(h.F.Server!.AdminUrls[0] + "/dashboard/sign-in");
        var onTraffic = await http.GetAsync(h.F.Url + "/dashboard/sign-in");

        Assert.Equal(HttpStatusCode.OK, onAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onTraffic.StatusCode);
    }

    [Fact]
    public async Task WithoutSession_PagesRedirectToSignIn_AndTheStreamIs401()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var root = await http.GetAsync(h.Url + "/dashboard");
        var page = await http.GetAsync(h.Url + "/dashboard/env/staging/rollout");
        var events = await http.GetAsync(h.Url + "/dashboard/events?env=staging");

        Assert.Equal("/dashboard/environments", root.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/dashboard/sign-in?return=%2Fdashboard%2Fenv%2Fstaging%2Frollout", page.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
    }
}
