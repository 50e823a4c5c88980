using System.Net;
using System.Text.RegularExpressions;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;

namespace Glidepath.Dashboard.Tests;

/// <summary>The confirmation page's reason field does not cut what the server accepts: 500 characters, counted as characters.</summary>
public sealed class ReasonFieldTests
{
    // Trial dash2 #9: maxlength="500" counts UTF-16 code units, so a browser cut a pasted reason of 300 emoji to 250.
    [Fact]
    public async Task ConfirmPage_ReasonField_HasNoCodeUnitLimit_AndTheServerKeeps500Emoji()
    {
        await using var d = await DashboardHttp.StartAsync();
        var owner = await d.SignedInAsync(Role.Owner, "olive");
        var reason = string.Concat(Enumerable.Repeat("🚀", 500));

        var (status, html) = await DashboardHttp.PageAsync(owner, "/dashboard/env/staging/confirm/freeze");
        using var post = await d.PostAsync(owner, "/dashboard/env/staging/actions/freeze", ("reason", reason));

        Assert.Equal(HttpStatusCode.OK, status);
        var field = Regex.Match(html, "<input id=\"reason\"[^>]*>");
        Assert.True(field.Success, html);
        Assert.DoesNotContain("maxlength", field.Value, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal(reason, (await d.F.Store.Environments.HistoryAsync(d.App, "staging", default))[^1].Reason);
    }
}
