using System.Net;
using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Forwarding;
using Glidepath.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// A token refused on the route probe (<c>Glidepath-Admin-Token</c>) is logged as a refused credential, as on the admin
/// API: an outside trial's revoked admin token left only a 403 trace there.
/// </summary>
public sealed class ProbeRefusalLogTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CapturedLog<AdminAuthenticator> _log = new();
    private ServingWorld _world = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _world = await ServingWorld.CreateAsync(prefix: "gp-probe-log-");
        var options = new AdminOptions { Manifest = _world.Manifest, Store = _world.Store, Time = _time };
        _services = new ServiceCollection()
            .AddSingleton(new AdminAuthenticator(options, Tokens, _log))
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _world.DisposeAsync();
    }

    private AccessTokenService Tokens => new(_world.Store.AccessTokens, _world.Store, _time);

    [Fact]
    public async Task RouteProbe_RevokedAdminToken_RefusedAndLoggedByItsId()
    {
        var created = await Tokens.CreateAsync(_world.Manifest.App, "staging", Role.Admin, "old", "test", default);
        await Tokens.RevokeAsync(_world.Manifest.App, "old", "test", null, default);

        var allowed = await new ProbeAccess(_world.ServingOptions(), _services).AllowsAsync(Probe(created.Secret));

        Assert.False(allowed);
        var line = Assert.Single(_log.Lines);
        Assert.Contains($"Credential refused: revoked_token (a revoked access token); credential {created.Token.Id}, from 203.0.113.9, path /v1/chat/completions", line.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteProbe_AdminOfThisEnvironment_AllowedAndNothingLogged()
    {
        var created = await Tokens.CreateAsync(_world.Manifest.App, "staging", Role.Admin, "ops", "test", default);
        var owner = await Tokens.CreateAsync(_world.Manifest.App, "staging", Role.Owner, "own", "test", default);

        var probe = new ProbeAccess(_world.ServingOptions(), _services);

        Assert.True(await probe.AllowsAsync(Probe(created.Secret)));
        Assert.False(await probe.AllowsAsync(Probe(owner.Secret))); // a valid token without the role: 403, not a refused credential
        Assert.Empty(_log.Lines);
    }

    private static DefaultHttpContext Probe(string token)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        http.Request.Path = "/v1/chat/completions";
        http.Request.Headers["Glidepath-Probe"] = "route";
        http.Request.Headers[ProbeAccess.TokenHeader] = token;
        return http;
    }
}
