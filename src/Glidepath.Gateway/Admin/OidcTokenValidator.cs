using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Checks one OpenID Connect JWT, given as text, against <see cref="OidcOptions"/>: issuer, audience, lifetime (on the
/// admin API's clock, with <see cref="OidcOptions.ClockSkew"/>), signature with the configured keys or the authority's
/// published ones. Every call checks the token it is given. Not an ASP.NET Core authentication handler on purpose: a
/// handler authenticates a request once and answers later calls in that request from its first result, so the
/// dashboard, whose credential comes from its session cookie rather than from the request's Authorization header, was
/// answered "no token" for a valid JWT, and a live stream would never have seen its token expire.
/// </summary>
internal sealed class OidcTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _authority;

    public OidcTokenValidator(OidcOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = options.Issuer,
            ValidateAudience = true,
            ValidAudience = options.Audience,
            IgnoreTrailingSlashWhenValidatingAudience = false, // the audience configured, exactly: not "api://glidepath/" too
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = options.SigningKeys.Count > 0 ? options.SigningKeys : null,
            ClockSkew = options.ClockSkew,
            NameClaimType = options.ActorClaim,
            RoleClaimType = options.RolesClaim,
            LifetimeValidator = (notBefore, expires, _, parameters) => CheckLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime, parameters.ClockSkew),
        };
        if (options.SigningKeys.Count == 0 && options.Authority is { } authority)
        {
            // As the JwtBearer handler finds them: the discovery document under the authority, over https only, cached
            // and refreshed by the configuration manager.
            var metadata = authority.TrimEnd('/') + "/.well-known/openid-configuration";
            _authority = new ConfigurationManager<OpenIdConnectConfiguration>(metadata, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
        }
    }

    /// <summary>
    /// The token's claims when it is valid, else why not (<see cref="TokenValidationResult.Exception"/>). When the
    /// authority's keys cannot be fetched it throws the configuration manager's <see cref="InvalidOperationException"/>.
    /// </summary>
    public async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var parameters = _parameters;
        if (_authority is not null)
        {
            var configuration = await _authority.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            parameters = _parameters.Clone();
            parameters.IssuerSigningKeys = configuration.SigningKeys;
        }

        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid && _authority is not null && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The issuer may have rotated its keys: look again at the next check, as the JwtBearer handler does.
            _authority.RequestRefresh();
        }

        return result;
    }

    /// <summary>
    /// The library's lifetime rule (exp required; nbf and exp with the clock skew) on the admin API's clock rather than
    /// the machine's, so a token's expiry is tested without waiting for it. Throws the exception the library would, so
    /// the refusal names its reason.
    /// </summary>
    private static bool CheckLifetime(DateTime? notBefore, DateTime? expires, DateTime now, TimeSpan skew)
    {
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("the token has no expiry (exp)");
        }

        if (notBefore is { } nbf && nbf > exp)
        {
            throw new SecurityTokenInvalidLifetimeException("the token's nbf is after its exp") { NotBefore = nbf, Expires = exp };
        }

        if (notBefore is { } start && start > now + skew)
        {
            throw new SecurityTokenNotYetValidException("the token is not valid yet") { NotBefore = start };
        }

        if (exp < now - skew)
        {
            throw new SecurityTokenExpiredException("the token has expired") { Expires = exp };
        }

        return true;
    }
}
