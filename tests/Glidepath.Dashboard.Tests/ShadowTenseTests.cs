using System.Net;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;

namespace Glidepath.Dashboard.Tests;

/// <summary>The shadow page speaks of a stopped shadow in the past tense.</summary>
public sealed class ShadowTenseTests
{
    // Trial dash2 #8: a stopped shadow's page said "Shadow sh-… mirrors 50% of stable's requests for at most 30 requests".
    [Fact]
    public async Task ShadowPage_StoppedShadow_SaysItMirroredAndIsStopped()
    {
        await using var d = await DashboardHttp.StartAsync();
        var shadow = await d.Seed.ShadowAsync(pairs: 5);
        var viewer = await d.SignedInAsync(Role.Viewer, "vic");
        var (_, active) = await DashboardHttp.PageAsync(viewer, "/dashboard/env/staging/shadow");
        await d.Seed.Shadows.StopAsync("staging", "ana", "enough", default);

        var (status, stopped) = await DashboardHttp.PageAsync(viewer, "/dashboard/env/staging/shadow");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Shadow <code>{shadow.ShadowId}</code> mirrors 10% of stable's requests until $5 spent.", WebUtility.HtmlDecode(active), StringComparison.Ordinal);
        Assert.Contains($"Shadow <code>{shadow.ShadowId}</code> mirrored 10% of stable's requests until $5 spent (stopped).", WebUtility.HtmlDecode(stopped), StringComparison.Ordinal);
        Assert.DoesNotContain(" mirrors ", WebUtility.HtmlDecode(stopped), StringComparison.Ordinal);
    }
}
