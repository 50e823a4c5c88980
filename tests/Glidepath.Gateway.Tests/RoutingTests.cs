using System.Net;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests;

public sealed class RoutingTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        _f.ShowRoutingHeaders();
        await _f.StartAsync();
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task<(string Release, string Arm)> ServeAsync(string? subject = null, string? user = null)
    {
        var extra = user is null ? "" : $",\"user\":\"{user}\"";
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(extra: extra), r =>
        {
            if (subject is not null)
            {
                r.Headers.Add("Glidepath-Subject", subject);
            }
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.GetValues("Glidepath-Release").Single(), response.Headers.GetValues("Glidepath-Arm").Single());
    }

    private Task WaitForRevisionAsync(long revision) => _f.WaitForRevisionAsync(revision);

    [Fact]
    public async Task Route_OpenAiUserWithoutSubjectHeader_IsTheStickyKey()
    {
        var state = await _f.SetAsync(s => s with { Canary = new CanaryState(_f.V2.Id, 50, "seed-2") }, "canary_set");
        await WaitForRevisionAsync(state.Revision);

        for (var i = 0; i < 10; i++)
        {
            var expected = Glidepath.Routing.StickySplit.IsCanary(Glidepath.Routing.StickySplit.Bucket($"user-{i}", "seed-2"), 50) ? "canary" : "stable";
            Assert.Equal(expected, (await ServeAsync(user: $"user-{i}")).Arm);
        }
    }

    [Fact]
    public async Task RouteProbe_WithoutTheAdminApi_403WithoutRoutingHeadersAndNoProviderCall()
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Probe", "route"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Glidepath-Release"));
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }
}
