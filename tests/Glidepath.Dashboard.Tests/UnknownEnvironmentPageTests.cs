using System.Net;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;

namespace Glidepath.Dashboard.Tests;

/// <summary>The 404 of an unknown environment is a page in the signed-in frame, as the 404 of an unknown address is.</summary>
public sealed class UnknownEnvironmentPageTests
{
    // Trial dash2 #7: /dashboard/env/nope/history had no app name, no "Signed in as", no Sign out and no navigation.
    [Theory]
    [InlineData("/dashboard/env/nope/history")]
    [InlineData("/dashboard/env/nope/confirm/freeze")]
    public async Task UnknownEnvironment_SignedIn_Is404InTheSignedInFrame(string path)
    {
        await using var d = await DashboardHttp.StartAsync();
        var viewer = await d.SignedInAsync(Role.Viewer, "vic");

        var (status, html) = await DashboardHttp.PageAsync(viewer, path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("&#x27;nope&#x27; is not an environment of", html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"app\">{d.App}</span>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"actor\"><bdi>token:vic</bdi>", html, StringComparison.Ordinal);
        Assert.Contains(">Sign out</button>", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Sections\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard/env/staging/rollout\"", html, StringComparison.Ordinal);
    }
}
