using System.Net;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Gateway.Dashboard;

namespace Glidepath.Dashboard.Tests;

/// <summary>Every answer under /dashboard carries the security headers, including those no dashboard endpoint gives; its assets are revalidated, not stored blind.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityHeadersTests(Chromium chromium)
{
    [Theory]
    [InlineData("GET", "/dashboard/nothing", HttpStatusCode.NotFound)]
    [InlineData("GET", "/dashboard/assets/nothing.css", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/dashboard/environments", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/dashboard/env/staging/actions/freeze", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/dashboard/sign-out", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/dashboard/sign-in", HttpStatusCode.OK)]
    public async Task Answer_WithOrWithoutAnEndpoint_CarriesTheSecurityHeadersAndIsNotStored(string method, string path, HttpStatusCode status)
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), h.Url + path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(DashboardSecurity.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.True(response.Headers.CacheControl is { NoCache: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Theory]
    [InlineData("dashboard.css")]
    [InlineData("dashboard.js")]
    public async Task Asset_IsRevalidatedByETag_AndUnchangedIs304WithTheSecurityHeaders(string name)
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        using var http = new HttpClient();

        using var first = await http.GetAsync($"{h.Url}/dashboard/assets/{name}");
        var etag = first.Headers.ETag;
        using var again = new HttpRequestMessage(HttpMethod.Get, $"{h.Url}/dashboard/assets/{name}");
        if (etag is not null)
        {
            again.Headers.IfNoneMatch.Add(etag);
        }

        using var second = await http.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.True(first.Headers.CacheControl is { NoCache: true, NoStore: false }, $"Cache-Control: {first.Headers.CacheControl}");
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(DashboardSecurity.ContentSecurityPolicy, Header(second, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(second, "X-Content-Type-Options"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
