using Glidepath.Gateway.Dashboard;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Dashboard.Tests;

/// <summary>The same-origin rule of form posts, header by header: this origin is believed only when a header says so.</summary>
public sealed class DashboardSecurityTests
{
    [Theory]
    [InlineData("https://dash.example", null, true)]
    [InlineData("https://DASH.example", null, true)]
    [InlineData(null, "same-origin", true)]
    [InlineData("https://dash.example", "same-origin", true)]
    [InlineData(null, "none", false)]
    [InlineData("https://dash.example", "none", true)]
    [InlineData("https://evil.example", "none", false)]
    [InlineData(null, null, false)]
    [InlineData("https://evil.example", null, false)]
    [InlineData("http://dash.example", null, false)]
    [InlineData("null", null, false)]
    [InlineData(null, "cross-site", false)]
    [InlineData(null, "same-site", false)]
    [InlineData("https://dash.example", "cross-site", false)]
    public void CrossOriginRefusal_BelievesThisOriginOnlyWhenAHeaderSaysSo(string? origin, string? fetchSite, bool accepted)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("dash.example");
        if (origin is not null)
        {
            http.Request.Headers.Origin = origin;
        }

        if (fetchSite is not null)
        {
            http.Request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        Assert.Equal(accepted, DashboardSecurity.CrossOriginRefusal(http.Request) is null);
    }

    [Fact]
    public void CrossOriginRefusal_WithNeitherHeader_SaysWhatIsMissing()
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("dash.example");

        Assert.Contains("no Origin or Sec-Fetch-Site header saying this origin", DashboardSecurity.CrossOriginRefusal(http.Request), StringComparison.Ordinal);
    }
}
