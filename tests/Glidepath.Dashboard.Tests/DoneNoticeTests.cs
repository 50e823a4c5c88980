using System.Net;
using System.Text.RegularExpressions;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// The notice a page shows after an action says what History records for the signed-in user, and a crafted link
/// (<c>?done=rollback</c> handed to a viewer) makes it claim nothing. Over real HTTP.
/// </summary>
public sealed partial class DoneNoticeTests
{
    // Trial dash2 #4: the notice said only "Done: roll back. History records it as token:owner-tok." while the admin API
    // said the canary ended and named the rollout it ended.
    [Fact]
    public async Task Rollback_DuringARollout_NoticeSaysTheCanaryEndedAndNamesTheRolloutItEnded()
    {
        await using var d = await DashboardHttp.StartAsync();
        var rollout = await d.Seed.StartRolloutAsync();
        var owner = await d.SignedInAsync(Role.Owner, "olive");
        var revision = (await d.F.Store.Environments.GetAsync(d.App, "staging", default)).Revision;

        using var post = await d.PostAsync(owner, "/dashboard/env/staging/actions/rollback", ("reason", "errors"), ("revision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var (_, html) = await DashboardHttp.PageAsync(owner, post.Headers.Location!.ToString());

        var notice = Notice(html)!;
        Assert.Matches(@"^Done: roll back\. History records it as token:olive at revision \d+ \([^)]+\): canary v2\S* at 10% ended; all traffic to the stable v1\.", notice);
        Assert.EndsWith($" Rollout {rollout.Id} ended (rolled_back): its canary was removed by this rollback.", notice, StringComparison.Ordinal);
        Assert.Contains("rollout id", html, StringComparison.Ordinal);
        Assert.Contains(rollout.Id, html, StringComparison.Ordinal);
    }

    // Trial dash2 #5: "?done=rollback" opened by a viewer said "Done: roll back. History records it as token:viewer-tok.",
    // and "?done=evalset" said a trace was added to an eval set, which the dashboard never does.
    [Theory]
    [InlineData("/dashboard/environments?done=rollback")]
    [InlineData("/dashboard/env/staging/history?done=rollback")]
    [InlineData("/dashboard/env/staging/rollout?done=abort")]
    [InlineData("/dashboard/env/staging/history?done=evalset")]
    [InlineData("/dashboard/env/staging/history?unchanged=freeze")]
    [InlineData("/dashboard/env/staging/rollout?unchanged=pause")]
    public async Task CraftedLink_OpenedByAViewer_ClaimsNothing(string path)
    {
        await using var d = await DashboardHttp.StartAsync();
        await d.Seed.StartRolloutAsync();
        await d.Seed.Environments.RollbackAsync("staging", null, "token:olive", "a real rollback by someone else", default);
        var viewer = await d.SignedInAsync(Role.Viewer, "vic");

        var (status, html) = await DashboardHttp.PageAsync(viewer, path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(Notice(html));
    }

    [Fact]
    public async Task DoneLink_ForAnotherActionThanTheUsersLatest_ClaimsNothing_AndTheUsersOwnIsShown()
    {
        await using var d = await DashboardHttp.StartAsync();
        var owner = await d.SignedInAsync(Role.Owner, "olive");
        using var post = await d.PostAsync(owner, "/dashboard/env/staging/actions/freeze", ("reason", "incident 4711"));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var freeze = (await d.F.Store.Environments.HistoryAsync(d.App, "staging", default))[^1];

        var (_, rollback) = await DashboardHttp.PageAsync(owner, "/dashboard/env/staging/history?done=rollback");
        var (_, frozen) = await DashboardHttp.PageAsync(owner, post.Headers.Location!.ToString());

        Assert.Null(Notice(rollback));
        Assert.StartsWith($"Done: freeze. History records it as token:olive at revision {freeze.Revision} (", Notice(frozen), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnchangedLink_SaysNoChangeOnlyWhileTheEnvironmentIsSo()
    {
        await using var d = await DashboardHttp.StartAsync();
        var owner = await d.SignedInAsync(Role.Owner, "olive");

        var (_, notFrozen) = await DashboardHttp.PageAsync(owner, "/dashboard/env/staging/history?unchanged=freeze");
        await d.Seed.Environments.FreezeAsync("staging", "token:olive", "incident 4711", default);
        var (_, frozen) = await DashboardHttp.PageAsync(owner, "/dashboard/env/staging/history?unchanged=freeze");

        Assert.Null(Notice(notFrozen));
        Assert.Equal("No change: staging is already frozen; nothing was recorded.", Notice(frozen));
    }

    private static string? Notice(string html) =>
        NoticeElement().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("data-testid=\"notice\">([^<]*)</p>")]
    private static partial Regex NoticeElement();
}
