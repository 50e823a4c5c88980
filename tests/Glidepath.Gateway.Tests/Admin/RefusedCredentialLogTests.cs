using System.Collections.Concurrent;
using System.Net;
using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// A credential the admin API or the dashboard refuses is logged: why, its public part only (a token's id, else its
/// type prefix), the remote address and the path; a flood is one line per reason a minute with the count held back.
/// An outside trial found refused tokens not logged at all.
/// </summary>
public sealed class RefusedCredentialLogTests : IAsyncLifetime
{
    private const string Remote = "203.0.113.7";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CapturedLog<AdminAuthenticator> _log = new();
    private ServingWorld _world = null!;
    private AdminAuthenticator _auth = null!;

    public async Task InitializeAsync()
    {
        _world = await ServingWorld.CreateAsync(prefix: "gp-refused-");
        var options = new AdminOptions { Manifest = _world.Manifest, Store = _world.Store, Time = _time, Oidc = AdminHarness.Oidc };
        _auth = new AdminAuthenticator(options, Tokens, _log);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private AccessTokenService Tokens => new(_world.Store.AccessTokens, _world.Store, _time);

    [Fact]
    public async Task UnknownToken_OneWarningNamingReasonPrefixRemoteAndPath_NeverTheSecret()
    {
        var secret = AccessTokenSecret.New();

        var result = await _auth.AuthenticateAsync(Request(secret, "/admin/v1/environments/staging"));

        Assert.Null(result.Principal);
        var line = Assert.Single(_log.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("unknown_token", line.Text, StringComparison.Ordinal);
        Assert.Contains("credential gpt_,", line.Text, StringComparison.Ordinal);
        Assert.Contains("from " + Remote, line.Text, StringComparison.Ordinal);
        Assert.Contains("path /admin/v1/environments/staging", line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[AccessTokenSecret.Prefix.Length..][..8], line.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedToken_LoggedByItsIdAlone()
    {
        var created = await Tokens.CreateAsync(_world.Manifest.App, "staging", Role.Viewer, "alice", "test", default);
        await Tokens.RevokeAsync(_world.Manifest.App, "alice", "test", null, default);

        var result = await _auth.AuthenticateAsync(Request(created.Secret, "/dashboard/staging"));

        Assert.Null(result.Principal);
        var line = Assert.Single(_log.Lines);
        Assert.Contains("revoked_token", line.Text, StringComparison.Ordinal);
        Assert.Contains($"credential {created.Token.Id},", line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret[AccessTokenSecret.Prefix.Length..][..8], line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Token.TokenHash[..16], line.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpt_short-and-wrong-Zq8", "malformed_token", "gpt_")]
    [InlineData("gpk_Zq8Xw2Lk8vR4mN6pT1yB3cD5fG7hJ9kL0", "caller_key", "gpk_")]
    public async Task OtherCredentials_LoggedByTheirPrefix_NeverTheRest(string bearer, string reason, string prefix)
    {
        await _auth.AuthenticateAsync(Request(bearer, "/admin/v1/environments"));

        var line = Assert.Single(_log.Lines);
        Assert.Contains(reason, line.Text, StringComparison.Ordinal);
        Assert.Contains($"credential {prefix},", line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(bearer[4..], line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(bearer[4..10], line.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredJwt_LoggedAsExpired_NoPartOfTheTokenAndNoneOfItsClaims()
    {
        var jwt = AdminHarness.Jwt("mallory", ["Glidepath.Admin"], expiresIn: TimeSpan.FromMinutes(-10));

        await _auth.AuthenticateAsync(Request(jwt, "/admin/v1/environments"));

        var line = Assert.Single(_log.Lines);
        Assert.Contains("expired_jwt (it has expired)", line.Text, StringComparison.Ordinal);
        Assert.Contains("credential jwt,", line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("mallory", line.Text, StringComparison.Ordinal);
        Assert.All(jwt.Split('.'), part => Assert.DoesNotContain(part[..12], line.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Flood_OneLineAtOnceThenOneSummaryAMinutePerReason_WrittenByTheTimerWithoutAnotherRefusal()
    {
        for (var i = 0; i < 5; i++)
        {
            await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/environments"));
        }

        await _auth.AuthenticateAsync(Request("gpk_Zq8Xw2Lk8vR4mN6pT1yB3cD5fG7hJ9kL0", "/admin/v1/environments")); // another reason: its own line
        Assert.Equal(2, _log.Lines.Count);

        _time.Advance(RefusedCredentialLog.Interval);

        Assert.Equal(3, _log.Lines.Count);
        Assert.Equal($"Credential refused: unknown_token, 4 more in the minute after the last such line, from {Remote} (4)", _log.Lines.Last().Text);

        // The flood goes on: summed up a minute after that line; a quiet minute writes nothing.
        await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/environments"));
        Assert.Equal(3, _log.Lines.Count);
        _time.Advance(RefusedCredentialLog.Interval);
        _time.Advance(RefusedCredentialLog.Interval);
        Assert.Equal(4, _log.Lines.Count);
        Assert.Contains("unknown_token, 1 more in the minute after the last such line", _log.Lines.Last().Text, StringComparison.Ordinal);

        await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/environments"));
        Assert.Equal(5, _log.Lines.Count);
        Assert.Contains("Credential refused: unknown_token (not an access token", _log.Lines.Last().Text, StringComparison.Ordinal);
    }

    // An outside trial sent one junk token from a decoy address, then 200 from its own: the log named only the decoy.
    [Fact]
    public async Task FloodAfterADecoy_TheSummaryNamesTheFloodingAddressWithItsCount()
    {
        await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/status", "127.0.0.2"));
        for (var i = 0; i < 200; i++)
        {
            await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/status", "127.0.0.1"));
        }

        await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/status", "127.0.0.2"));
        _time.Advance(RefusedCredentialLog.Interval);

        Assert.Equal(2, _log.Lines.Count);
        Assert.Contains("from 127.0.0.2, path /admin/v1/status", _log.Lines.First().Text, StringComparison.Ordinal);
        Assert.Equal("Credential refused: unknown_token, 201 more in the minute after the last such line, from 127.0.0.1 (200), 127.0.0.2 (1)", _log.Lines.Last().Text);
    }

    // Many addresses: the most frequent are named, the rest counted together, in one line; memory is bounded.
    [Fact]
    public async Task FloodFromManyAddresses_OneSummaryNamingTheTopFewAndCountingTheRest()
    {
        await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/status"));
        for (var i = 0; i < 3; i++)
        {
            await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/status", "198.51.100.9"));
        }

        for (var i = 0; i < RefusedCredentialLog.AddressesCounted + 50; i++)
        {
            await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/status", $"10.0.{i / 250}.{(i % 250) + 1}"));
        }

        _time.Advance(RefusedCredentialLog.Interval);

        Assert.Equal(2, _log.Lines.Count);
        var summary = _log.Lines.Last().Text;
        Assert.StartsWith($"Credential refused: unknown_token, {3 + RefusedCredentialLog.AddressesCounted + 50} more in the minute after the last such line, from 198.51.100.9 (3), 10.0.0.", summary, StringComparison.Ordinal);
        Assert.EndsWith($"; {3 + RefusedCredentialLog.AddressesCounted + 50 - 3 - (RefusedCredentialLog.AddressesShown - 1)} from other addresses", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathWithALineBreak_LoggedEscaped_NoForgedLine()
    {
        await _auth.AuthenticateAsync(Request(AccessTokenSecret.New(), "/admin/v1/x\nCredential accepted: admin"));

        var line = Assert.Single(_log.Lines);
        Assert.DoesNotContain("\n", line.Text, StringComparison.Ordinal);
        Assert.Contains("/admin/v1/x\\u000ACredential accepted", line.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredential_AndAnAcceptedToken_LogNothing()
    {
        var created = await Tokens.CreateAsync(_world.Manifest.App, "staging", Role.Viewer, "bob", "test", default);

        var none = await _auth.AuthenticateAsync(Request(null, "/admin/v1/environments"));
        var accepted = await _auth.AuthenticateAsync(Request(created.Secret, "/admin/v1/environments"));

        Assert.Null(none.Principal);
        Assert.Equal("token:bob", accepted.Principal!.Actor);
        Assert.Empty(_log.Lines);
    }

    private static DefaultHttpContext Request(string? bearer, string path, string remote = Remote)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        http.Request.Path = path;
        if (bearer is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + bearer;
        }

        return http;
    }
}
