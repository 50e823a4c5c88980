using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// A real gateway on 127.0.0.1 with the admin API over a real SQLite store, an OIDC configuration trusting a locally
/// generated RSA key (no network: the key is given, not discovered), and helpers to mint access tokens and JWTs.
/// </summary>
internal sealed class AdminHarness : IAsyncDisposable
{
    public const string Issuer = "https://login.example.test/tenant-1/v2.0";
    public const string Audience = "api://glidepath-tests";

    private static readonly RSA SigningRsa = RSA.Create(2048);
    private static readonly RSA OtherRsa = RSA.Create(2048);

    private AdminHarness(GatewayFixture fixture, CountingAlertNotifier notifier)
    {
        F = fixture;
        Notifier = notifier;
    }

    public GatewayFixture F { get; }

    /// <summary>What the admin API's alert resends post with: it counts them and answers <see cref="CountingAlertNotifier.Outcome"/>.</summary>
    public CountingAlertNotifier Notifier { get; }

    public static RsaSecurityKey SigningKey { get; } = new(SigningRsa) { KeyId = "test-key" };

    /// <summary>A key the server does not trust, under the same key id.</summary>
    public static RsaSecurityKey ForeignKey { get; } = new(OtherRsa) { KeyId = "test-key" };

    public string AdminUrl => F.Server!.AdminUrls.Count > 0 ? F.Server.AdminUrls[0] : F.Url;

    public static OidcOptions Oidc => new()
    {
        Issuer = Issuer,
        Audience = Audience,
        SigningKeys = [SigningKey],
        Roles = new Dictionary<string, Grant>
        {
            ["Glidepath.Viewer"] = new("*", Role.Viewer),
            ["Glidepath.Deployer"] = new("*", Role.Deployer),
            ["Glidepath.Owner"] = new("*", Role.Owner),
            ["Glidepath.Admin"] = new("*", Role.Admin),
            ["Glidepath.Staging.Owner"] = new("staging", Role.Owner),
        },
    };

    /// <summary>The sample app (v1 stable in staging, v2 registered) served with the admin API on the traffic port.</summary>
    public static async Task<AdminHarness> StartAsync(Func<GatewayServerOptions, GatewayServerOptions>? server = null)
    {
        var f = await GatewayFixture.CreateAsync();
        var notifier = new CountingAlertNotifier();
        try
        {
            await f.StartAsync(server: o =>
            {
                var withAdmin = o with { Admin = new AdminOptions { Manifest = f.Manifest, Store = f.Store, Oidc = Oidc, AlertNotifier = notifier } };
                return server?.Invoke(withAdmin) ?? withAdmin;
            });
            return new AdminHarness(f, notifier);
        }
        catch
        {
            await f.DisposeAsync();
            throw;
        }
    }

    public AccessTokenService Tokens => new(F.Store.AccessTokens, F.Store, TimeProvider.System);

    /// <summary>A new access token, as 'glidepath tokens create' makes it.</summary>
    public async Task<string> TokenAsync(Role role, string environment = "*", string? name = null) =>
        (await Tokens.CreateAsync(F.Manifest.App, environment, role, name ?? $"{RoleNames.Name(role)}-{Guid.NewGuid():N}"[..20], "test", default)).Secret;

    /// <summary>A JWT signed with <paramref name="key"/> (the trusted key by default).</summary>
    public static string Jwt(string subject, IReadOnlyList<string> roles, TimeSpan? expiresIn = null, string audience = Audience, string issuer = Issuer, SecurityKey? key = null, DateTime? notBefore = null, bool noExpiry = false)
    {
        var expires = DateTime.UtcNow + (expiresIn ?? TimeSpan.FromMinutes(10));
        var issued = notBefore is null ? expires - TimeSpan.FromHours(2) : DateTime.UtcNow;

        // The times as claims (not the descriptor's, which the handler checks): a test may give an nbf after the exp.
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["roles"] = roles.ToArray(),
            ["iat"] = EpochTime.GetIntDate(issued),
            ["nbf"] = EpochTime.GetIntDate(notBefore ?? issued),
            ["exp"] = EpochTime.GetIntDate(expires),
        };
        if (noExpiry)
        {
            claims.Remove("exp");
            claims.Remove("nbf");
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? bearer, string? json = null, Action<HttpRequestMessage>? configure = null, string? baseUrl = null)
    {
        using var request = new HttpRequestMessage(method, (baseUrl ?? AdminUrl) + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        configure?.Invoke(request);
        using var response = await F.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A stored drift alert of the error rate on <paramref name="environment"/>, raised now, its webhook never posted.</summary>
    public DriftAlert Alert(string id, string environment, string releaseId) =>
        Glidepath.Testing.TestDriftAlerts.Drifted(id, F.Manifest.App, environment, releaseId, DateTimeOffset.UtcNow);

    public ValueTask DisposeAsync() => F.DisposeAsync();
}
