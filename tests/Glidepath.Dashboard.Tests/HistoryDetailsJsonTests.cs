using System.Net;
using System.Text.RegularExpressions;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;

namespace Glidepath.Dashboard.Tests;

/// <summary>History's "details as JSON" shows text as text: the stored JSON's escapes decoded, and markup still encoded.</summary>
public sealed partial class HistoryDetailsJsonTests
{
    // Trial dash2 #2: the details read {"frozen_reason":"\u51CD\u7D50 \u2014 incident #42 \u003Ci\u003E", ...} and
    // "\u002B0.2900", "production\u0027s".
    [Fact]
    public async Task HistoryPage_DetailsAsJson_NonAsciiAndPunctuationReadAsText_MarkupStaysText()
    {
        await using var d = await DashboardHttp.StartAsync();
        const string Reason = "凍結 — incident #42 <i> error_rate +0.2900, production's 🚀";
        await d.Seed.Environments.FreezeAsync("staging", "token:olive", Reason, default);
        await d.Seed.Environments.UnfreezeAsync("staging", "token:olive", "resolved", default);
        var unfreeze = (await d.F.Store.Environments.HistoryAsync(d.App, "staging", default))[^1];
        Assert.Contains("\\u51CD", unfreeze.DetailsJson, StringComparison.Ordinal); // stored escaped, as every event before it
        var viewer = await d.SignedInAsync(Role.Viewer, "vic");

        var (status, html) = await DashboardHttp.PageAsync(viewer, "/dashboard/env/staging/history");

        Assert.Equal(HttpStatusCode.OK, status);
        var json = Regex.Match(html, $"data-testid=\"details-json-{unfreeze.Revision}\">([^<]*)</pre>");
        Assert.True(json.Success, html);
        var text = WebUtility.HtmlDecode(json.Groups[1].Value);
        Assert.Contains($"\"frozen_reason\": \"{Reason}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
    }
}
