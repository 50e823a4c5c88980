using System.Text.Json;
using Glidepath.Access;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// Refusals that used to point nowhere or the wrong way: an unknown path or method (an empty body), an unknown
/// environment with a scoped token (a 403 asking for a role there), a bad flag value or a missing field that did not
/// name the parameter. Each is the admin error shape naming what the caller can do.
/// </summary>
public sealed class AdminRefusalTests
{
    [Fact]
    public async Task UnknownPath_Is404InTheErrorShape_ListingTheOperations()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/nothing", await h.TokenAsync(Role.Viewer));

        Assert.Equal(404, status);
        var (error, exit) = Error(body);
        Assert.Equal(2, exit);
        Assert.Contains("no admin operation at GET /admin/v1/environments/staging/nothing", error, StringComparison.Ordinal);
        Assert.Contains("POST /environments/{env}/freeze", error, StringComparison.Ordinal);
        Assert.Contains("GET /status", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongMethod_Is405InTheErrorShape_NamingTheMethodItTakes()
    {
        await using var h = await AdminHarness.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Delete, h.AdminUrl + "/admin/v1/environments/staging/freeze");
        request.Headers.Authorization = new("Bearer", await h.TokenAsync(Role.Owner));
        using var response = await h.F.Http.SendAsync(request);
        var (error, exit) = Error(await response.Content.ReadAsStringAsync());

        Assert.Equal(405, (int)response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        Assert.Equal(2, exit);
        Assert.Equal("/admin/v1/environments/staging/freeze takes POST, not DELETE", error);
    }

    [Fact]
    public async Task UnknownEnvironment_WithATokenOfAnotherEnvironment_Is400NamingTheDeclaredOnes()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/nope/freeze", await h.TokenAsync(Role.Owner, "production"), """{"reason":"x"}""");

        Assert.Equal(400, status);
        Assert.StartsWith("unknown environment 'nope'; expected one of: ", Error(body).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TracesFlag_NotTrueOrFalse_NamesTheParameter()
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Get, "/admin/v1/environments/staging/traces?failed=maybe", await h.TokenAsync(Role.Viewer));

        Assert.Equal(400, status);
        Assert.Contains("query parameter 'failed' is 'maybe'", Error(body).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tokens", """{"name":"ci"}""", "'role' is required")]
    [InlineData("/tokens", """{"role":"viewer"}""", "'name' is required")]
    [InlineData("/keys", """{"rpm":60}""", "'name' is required")]
    public async Task CredentialCreate_MissingField_SaysTheFieldIsRequired(string path, string json, string expected)
    {
        await using var h = await AdminHarness.StartAsync();

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging" + path, await h.TokenAsync(Role.Admin), json);

        Assert.Equal(400, status);
        Assert.StartsWith(expected, Error(body).Error, StringComparison.Ordinal);
    }

    // An outside trial: each was a 500 with an empty body and a stack trace in the log. The body's bytes are the text's
    // Latin-1 bytes, so "\u00ff\u00fe" sends the bytes FF FE, which are not UTF-8.
    [Theory]
    [InlineData("{\"reason\":\"\u00ff\u00fe\"}", "the request body is not valid UTF-8")]
    [InlineData("""{"x\ud800":"x"}""", "the request body is not valid Unicode")]
    [InlineData("""{"reason":"x\ud800"}""", "the request body is not valid Unicode")]
    public async Task Freeze_BodyTextNotValidUnicode_Is400InTheErrorShape_AndNothingIsDone(string latin1, string expected)
    {
        await using var h = await AdminHarness.StartAsync();
        var before = await h.F.Store.Environments.GetRevisionAsync(h.F.Manifest.App, "staging", default);

        var (status, body) = await h.SendAsync(HttpMethod.Post, "/admin/v1/environments/staging/freeze", await h.TokenAsync(Role.Owner), configure: r =>
        {
            r.Content = new ByteArrayContent(System.Text.Encoding.Latin1.GetBytes(latin1));
            r.Content.Headers.ContentType = new("application/json");
        });

        Assert.Equal(400, status);
        var (error, exit) = Error(body);
        Assert.Equal(2, exit);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Equal(before, await h.F.Store.Environments.GetRevisionAsync(h.F.Manifest.App, "staging", default));
    }

    // An outside trial: with OpenID Connect configured, a caller's key was refused as "not a well-formed JWT".
    [Theory]
    [InlineData(true, "a caller's key (gpk_…) is for the traffic API (/v1/…); the admin API takes a Glidepath access token (gpt_…, from 'glidepath tokens create') or an OpenID Connect token")]
    [InlineData(false, "a caller's key (gpk_…) is for the traffic API (/v1/…); the admin API takes a Glidepath access token (gpt_…, from 'glidepath tokens create')")]
    public async Task CallersKey_Is401SayingItIsForTheTrafficApi(bool oidc, string expected)
    {
        await using var h = await AdminHarness.StartAsync(oidc ? null : o => o with { Admin = o.Admin! with { Oidc = null } });
        var key = await new Glidepath.Keys.ApiKeyService(h.F.Store.ApiKeys, h.F.Store, TimeProvider.System).CreateAsync(h.F.Manifest.App, "staging", "svc", null, null, "test", default);

        var (status, body) = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", key.Secret);

        Assert.Equal(401, status);
        Assert.Equal((expected, 4), Error(body));
        Assert.DoesNotContain(key.Secret, body, StringComparison.Ordinal);
    }

    private static (string Error, int ExitCode) Error(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("error").GetString()!, doc.RootElement.GetProperty("exit_code").GetInt32());
    }
}
