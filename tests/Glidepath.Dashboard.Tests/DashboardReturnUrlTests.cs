using Glidepath.Gateway.Dashboard;

namespace Glidepath.Dashboard.Tests;

/// <summary>Sign-in returns only to a local dashboard page: never to another site, whatever the link says.</summary>
public sealed class DashboardReturnUrlTests
{
    [Theory]
    [InlineData("/dashboard/env/staging/traces/abc")]
    [InlineData("/dashboard/env/staging/traces?status=failed&limit=50")]
    [InlineData("/dashboard/releases?a=v1&b=v2")]
    public void Safe_ALocalDashboardPage_IsKept(string value) => Assert.Equal(value, DashboardReturnUrl.Safe(value));

    [Theory]
    [InlineData("//evil.example/dashboard/")]
    [InlineData("https://evil.example/dashboard/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/dashboard//evil.example/")]
    [InlineData("/dashboard/\\evil.example")]
    [InlineData("/dashboard/../admin/v1/status")]
    [InlineData("/dashboard/%2e%2e/%2f%2fevil.example")]
    [InlineData("/dashboard/env/a\r\nLocation: https://evil.example")]
    [InlineData("/dashboard/é")] // trial attacker2: unescaped in Location, Kestrel's empty 500
    [InlineData("/dashboard/env/staging?x=\u202e")]
    [InlineData("/dashboard/sign-in")]
    [InlineData("/dashboard/sign-out")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/dashboard")]
    [InlineData("")]
    [InlineData(null)]
    public void Safe_AnythingElse_IsRefused(string? value) => Assert.Null(DashboardReturnUrl.Safe(value));
}
