using System.Diagnostics;
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

    private async Task WaitForRevisionAsync(long revision)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(5))
        {
            using var ready = await _f.Http.GetAsync(_f.Url + "/readyz");
            if ((await ready.Content.ReadAsStringAsync()).Contains($"\"revision\":{revision},", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the gateway did not reach revision {revision}");
    }

    [Fact]
    public async Task Route_CanaryAtFiftyPercent_SameSubjectSameArmAndReleaseMatchesArm()
    {
        var state = await _f.SetAsync(s => s with { Canary = new CanaryState(_f.V2.Id, 50, "seed-1") }, "canary_set");
        await WaitForRevisionAsync(state.Revision);

        var arms = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var first = await ServeAsync(subject: $"subject-{i}");
            var second = await ServeAsync(subject: $"subject-{i}");
            Assert.Equal(first, second);
            Assert.Equal(first.Arm == "canary" ? _f.V2.Label : _f.V1.Label, first.Release);
            arms.Add(first.Arm);
        }

        Assert.Equal(2, arms.Count);
    }

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
    public async Task Route_Frozen_CanarySuspended()
    {
        var state = await _f.SetAsync(s => s with { Canary = new CanaryState(_f.V2.Id, 100, "seed"), Frozen = true }, "freeze");
        await WaitForRevisionAsync(state.Revision);

        Assert.Equal(("" + _f.V1.Label, "stable"), await ServeAsync(subject: "anyone"));
    }

    [Fact]
    public async Task Rollback_RunningGateway_ServesPreviousReleaseWithinOneSecond()
    {
        var deployed = await _f.SetAsync(s => s with { StableReleaseId = _f.V2.Id }, "deploy");
        await WaitForRevisionAsync(deployed.Revision);
        Assert.Equal(_f.V2.Label, (await ServeAsync()).Release);

        var sw = Stopwatch.StartNew();
        await _f.SetAsync(s => s with { StableReleaseId = _f.V1.Id }, "rollback");
        while ((await ServeAsync()).Release != _f.V1.Label)
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"rollback not served after {sw.ElapsedMilliseconds} ms");
            await Task.Delay(10);
        }

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task StoreUnreadable_RequestsKeepSucceedingAndReadyzReportsStaleControlPlane()
    {
        Assert.Equal(_f.V1.Label, (await ServeAsync()).Release);

        StoreVandal.MakeUnreadable(_f.StorePath);
        try
        {
            var sw = Stopwatch.StartNew();
            string body;
            while (true)
            {
                using var ready = await _f.Http.GetAsync(_f.Url + "/readyz");
                body = await ready.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                if (body.Contains("\"control_plane\":\"stale\"", StringComparison.Ordinal) || sw.Elapsed > TimeSpan.FromSeconds(5))
                {
                    break;
                }

                Assert.Equal(_f.V1.Label, (await ServeAsync()).Release);
                await Task.Delay(50);
            }

            Assert.Contains("\"control_plane\":\"stale\"", body, StringComparison.Ordinal);
            using var controlPlane = await _f.Http.GetAsync(_f.Url + "/readyz?scope=control-plane");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, controlPlane.StatusCode);
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(_f.V1.Label, (await ServeAsync(subject: $"s{i}")).Release);
            }
        }
        finally
        {
            StoreVandal.Restore(_f.StorePath);
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
