using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Serving;
using Glidepath.Serving.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Tests.Endpoints;

/// <summary>
/// Trial pgoutage LOW 4: <c>/readyz?scope=control-plane</c> (the alerting scope) stayed 200 for ~3 s after the store was
/// gone, while <c>store_writes</c> already said <c>unreachable</c>: the control plane turned stale only at the next
/// revision read. A background write that cannot reach the store makes it stale at once, with no read added.
/// </summary>
public sealed class ReadyzWriteFailureTests
{
    [Fact]
    public async Task ReadyzControlPlane_ATraceWriteFindsTheStoreUnreachable_503BeforeTheNextRead()
    {
        await using var f = await GatewayFixture.CreateAsync();
        // No read after the first one for the length of the test: only the write's failure can make it stale.
        await f.StartAsync(o => o with { PollInterval = TimeSpan.FromHours(1) });
        using (var before = await f.Http.GetAsync(f.Url + "/readyz?scope=control-plane"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var settings = f.Server!.Services.GetRequiredService<ServingOptions>();
        f.Server.Services.GetRequiredService<StoreWriteStatus>().Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Unreachable, settings,
            new IOException("Failed to connect to 127.0.0.1:44502"));

        using var after = await f.Http.GetAsync(f.Url + "/readyz?scope=control-plane");
        var body = JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.Equal(("stale", "unreachable"), (body.GetProperty("control_plane").GetString(), body.GetProperty("store_writes").GetString()));
        Assert.StartsWith("cannot read the store for ", body.GetProperty("stale_reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("44502", body.GetRawText(), StringComparison.Ordinal); // the store's error: not for anonymous callers
        using var traffic = await f.Http.GetAsync(f.Url + "/readyz");
        Assert.Equal(HttpStatusCode.OK, traffic.StatusCode); // fail static: traffic is still served
    }
}
