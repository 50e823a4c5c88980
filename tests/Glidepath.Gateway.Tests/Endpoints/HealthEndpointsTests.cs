using System.Text.Json;
using Glidepath.Gateway.Endpoints;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Serving.Routing;
using Glidepath.Testing;

namespace Glidepath.Gateway.Tests.Endpoints;

/// <summary>What the public /readyz says about a stale control plane: that the store cannot be read, never where it is or what it answered.</summary>
public sealed class HealthEndpointsTests
{
    [Fact]
    public void PublicStaleReason_Stale_SaysTheStoreCannotBeReadAndForHowLong_NotTheError()
    {
        var since = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var control = new ControlPlaneStatus.StatusSnapshot(true, since.AddMinutes(-1), since,
            "cannot read the store at postgres://glidepath@10.0.0.7:5432/glidepath: 57P01: terminating connection due to administrator command");

        var reason = HealthEndpoints.PublicStaleReason(control, since.AddSeconds(32));

        Assert.StartsWith("cannot read the store for 32 s;", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("postgres://", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.7", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("57P01", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicStaleReason_NotStale_IsNull() =>
        Assert.Null(HealthEndpoints.PublicStaleReason(new ControlPlaneStatus.StatusSnapshot(false, DateTimeOffset.UnixEpoch, null, null), DateTimeOffset.UnixEpoch));

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
}
