using System.Text.Json;
using Glidepath.Access;
using Glidepath.Gateway.Endpoints;
using Glidepath.Gateway.Tests.Admin;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Serving.Routing;
using Glidepath.Testing;

namespace Glidepath.Gateway.Tests.Endpoints;

/// <summary>What the public /readyz says about a stale control plane: that the store cannot be read, never where it is or what it answered.</summary>
public sealed class HealthEndpointsTests
{
    // An outside trial: "for N s" counted from the first failed read while the canary limit counts from the last good
    // one ("for 53 s" two seconds before the canary was withheld at 60 s). Both count from the last good read now.
    [Fact]
    public void PublicStaleReason_Stale_SaysTheStoreCannotBeReadAndForHowLong_NotTheError()
    {
        var since = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var control = new ControlPlaneStatus.StatusSnapshot(true, since.AddMinutes(-1), since,
            "cannot read the store at postgres://glidepath@10.0.0.7:5432/glidepath: 57P01: terminating connection due to administrator command")
        { StaleFor = TimeSpan.FromSeconds(92.4) };

        var reason = HealthEndpoints.PublicStaleReason(control);

        Assert.StartsWith("cannot read the store for 92 s; the reason is in the gateway's log", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("postgres://", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.7", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("57P01", reason, StringComparison.Ordinal);
    }

    // A trial's viewer token got this answer 77 s into an outage, and it promised the reason "in this answer with an
    // access token": an access token is checked in the store, which was down.
    [Fact]
    public void PublicStaleReason_Stale_PromisesTheReasonToATokenOnlyWhileTheStoreCanCheckIt()
    {
        var control = new ControlPlaneStatus.StatusSnapshot(true, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "cannot read the store: Failed to connect") { StaleFor = TimeSpan.FromSeconds(77) };

        var reason = HealthEndpoints.PublicStaleReason(control)!;

        Assert.EndsWith("with a token of a role in this environment, but a gpt_ access token only while the store can still check it)", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicStaleReason_NotStale_IsNull() =>
        Assert.Null(HealthEndpoints.PublicStaleReason(new ControlPlaneStatus.StatusSnapshot(false, DateTimeOffset.UnixEpoch, null, null)));

    [Fact]
    public async Task Readyz_StoreUnreadable_AnonymousAnswerIsStaleWithoutTheStoreLocationOrError()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();
        StoreVandal.MakeUnreadable(f.StorePath);
        try
        {
            // The refresher notices at its next poll; this waits for that (30 s only turns "never" into a failure).
            JsonElement body = default;
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(25))
            {
                using var ready = await f.Http.GetAsync(f.Url + "/readyz");
                body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.Clone();
                if (body.GetProperty("control_plane").GetString() == "stale")
                {
                    break;
                }
            }

            Assert.Equal("stale", body.GetProperty("control_plane").GetString());
            var reason = body.GetProperty("stale_reason").GetString()!;
            Assert.StartsWith("cannot read the store", reason, StringComparison.Ordinal);
            Assert.DoesNotContain(Path.GetFileName(f.StorePath), body.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(Path.GetDirectoryName(f.StorePath)!.Replace("\\", "\\\\", StringComparison.Ordinal), body.GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            StoreVandal.Restore(f.StorePath);
        }
    }

    // What deploy.md's failure table says a caller sees: during an outage an access token cannot be checked (it is
    // checked in the store), so the viewer's answer is the anonymous one; the reason is in the log. An OpenID Connect
    // token is checked without the store and still gets the reason.
    [Fact]
    public async Task Readyz_StoreUnreadable_AViewerAccessTokenGetsTheAnonymousAnswerAndAJwtTheReason()
    {
        await using var h = await AdminHarness.StartAsync();
        var viewer = await h.TokenAsync(Role.Viewer, "staging");
        var jwt = AdminHarness.Jwt("ana@example.test", ["Glidepath.Viewer"]);
        // Both work while the store does (a check is bounded, so a cold first one may miss; these wait at most 30 s).
        Assert.True((await ReadyzUntilAsync(h, viewer, b => b.TryGetProperty("stable", out _))).TryGetProperty("stable", out _));
        Assert.True((await ReadyzUntilAsync(h, jwt, b => b.TryGetProperty("stable", out _))).TryGetProperty("stable", out _));
        StoreVandal.MakeUnreadable(h.F.StorePath);
        try
        {
            var body = await ReadyzUntilAsync(h, viewer, b => b.GetProperty("control_plane").GetString() == "stale");

            Assert.Equal("stale", body.GetProperty("control_plane").GetString());
            Assert.False(body.TryGetProperty("stable", out _));
            Assert.False(body.TryGetProperty("canary_withheld", out _));
            Assert.StartsWith("cannot read the store for ", body.GetProperty("stale_reason").GetString(), StringComparison.Ordinal);
            Assert.Contains("the reason is in the gateway's log", body.GetProperty("stale_reason").GetString(), StringComparison.Ordinal);
            var withJwt = await ReadyzUntilAsync(h, jwt, b => b.TryGetProperty("stable", out _));
            Assert.True(withJwt.TryGetProperty("stable", out _));
            Assert.DoesNotContain("the reason is in the gateway's log", withJwt.GetProperty("stale_reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            StoreVandal.Restore(h.F.StorePath);
        }
    }

    // /readyz with bearer until done says so; 30 s only turns "never" into a failure.
    private static async Task<JsonElement> ReadyzUntilAsync(AdminHarness h, string bearer, Func<JsonElement, bool> done)
    {
        JsonElement body = default;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(25))
        {
            body = JsonDocument.Parse((await h.SendAsync(HttpMethod.Get, "/readyz", bearer, baseUrl: h.F.Url)).Body).RootElement.Clone();
            if (done(body))
            {
                break;
            }
        }

        return body;
    }
}
