using System.Security.Claims;
using Glidepath.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Who sent an admin-API request: <c>Authorization: Bearer gpt_…</c> is a Glidepath access token, checked against the
/// store's keyed hashes; any other bearer token is an OpenID Connect JWT, validated by <see cref="OidcTokenValidator"/>
/// (issuer, audience, lifetime, signature) and mapped to grants through <see cref="OidcOptions.Roles"/>. Nothing else is
/// believed: no header, body field or query names the actor. A store error propagates (the filter answers 503), so a
/// failure to check is never an allow. A refused credential is logged (<see cref="RefusedCredentialLog"/>) with its
/// public part only.
/// </summary>
internal sealed partial class AdminAuthenticator(AdminOptions options, AccessTokenService tokens, ILogger<AdminAuthenticator> logger) : IDisposable
{
    private readonly OidcTokenValidator? _oidc = options.Oidc is { } oidc ? new OidcTokenValidator(oidc, options.Time) : null;
    private readonly RefusedCredentialLog _refusals = new(options.Time, logger);

    /// <summary>Stops the refused-credential log's timers (the host disposes this singleton when it stops).</summary>
    public void Dispose() => _refusals.Dispose();

    /// <summary>The request's <c>Authorization: Bearer</c> credential checked.</summary>
    public Task<AdminAuthentication> AuthenticateAsync(HttpContext http) =>
        AuthenticateAsync(http, Bearer(http.Request.Headers.Authorization.ToString()));

    /// <summary>
    /// <paramref name="bearer"/> checked as if it came in an Authorization header of <paramref name="http"/> (the
    /// dashboard's session credential): each call checks what it is given, so a session's JWT is refused from the
    /// moment it expires.
    /// </summary>
    public async Task<AdminAuthentication> AuthenticateAsync(HttpContext http, string? bearer)
    {
        var result = await CheckAsync(bearer, http.RequestAborted).ConfigureAwait(false);
        if (result.Token is { } refused)
        {
            _refusals.Refused(refused, http);
        }

        return result;
    }

    private async Task<AdminAuthentication> CheckAsync(string? bearer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(bearer))
        {
            return AdminAuthentication.Refused("no credential: send 'Authorization: Bearer <token>' with a Glidepath access token (gpt_…, from 'glidepath tokens create') or an OpenID Connect token");
        }

        bearer = bearer.Trim();
        if (bearer.StartsWith(AccessTokenSecret.Prefix, StringComparison.Ordinal))
        {
            var token = await tokens.FindAsync(options.Manifest.App, bearer, cancellationToken).ConfigureAwait(false);
            if (token is { IsRevoked: false })
            {
                return AdminAuthentication.Accepted(new Principal("token:" + token.Name, [token.Grant]));
            }

            // The caller is told the same either way; the log says which, naming a known token by its id alone.
            var refusal = token is not null ? new TokenRefusal(RefusedCredential.RevokedToken, token.Id, "a revoked access token")
                : AccessTokenSecret.LooksLikeToken(bearer) ? new TokenRefusal(RefusedCredential.UnknownToken, AccessTokenSecret.Prefix, $"not an access token of '{options.Manifest.App}'")
                : new TokenRefusal(RefusedCredential.MalformedToken, AccessTokenSecret.Prefix, "not the shape of an access token");
            return AdminAuthentication.Refused($"the access token is not one of '{options.Manifest.App}' or has been revoked", refusal);
        }

        if (bearer.StartsWith(Glidepath.Keys.ApiKeySecret.Prefix, StringComparison.Ordinal))
        {
            // A caller's key sent here by mistake: calling it a malformed JWT sent its holder looking at the identity provider.
            return AdminAuthentication.Refused("a caller's key (gpk_…) is for the traffic API (/v1/…); the admin API takes a Glidepath access token (gpt_…, from 'glidepath tokens create')" +
                (options.Oidc is null ? "" : " or an OpenID Connect token"), new TokenRefusal(RefusedCredential.CallerKey, Glidepath.Keys.ApiKeySecret.Prefix, "a caller's key"));
        }

        if (options.Oidc is not { } oidc || _oidc is null)
        {
            return AdminAuthentication.Refused("the bearer token is not a Glidepath access token (gpt_…), and this server accepts no OpenID Connect tokens",
                new TokenRefusal(RefusedCredential.NotAccepted, "bearer", "neither an access token nor a caller's key, and no OpenID Connect tokens are accepted"));
        }

        TokenValidationResult result;
        try
        {
            result = await _oidc.ValidateAsync(bearer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            // Not the token's fault, and not a refusal: a failure to check, which every caller answers 503 (never an allow).
            LogNotChecked(logger, "the authority's signing keys could not be fetched");
            throw new Glidepath.Errors.OperationalException("the OpenID Connect token could not be checked: the authority's signing keys could not be fetched", ex);
        }

        if (!result.IsValid || result.ClaimsIdentity is not { } identity)
        {
            var reason = Reason(result.Exception);
            return AdminAuthentication.Refused("the OpenID Connect token was refused: " + reason,
                new TokenRefusal(result.Exception is SecurityTokenExpiredException ? RefusedCredential.ExpiredJwt : RefusedCredential.InvalidJwt, Jwt, reason));
        }

        var user = new ClaimsPrincipal(identity);
        var actor = user.FindFirst(oidc.ActorClaim)?.Value;
        if (string.IsNullOrWhiteSpace(actor))
        {
            return AdminAuthentication.Refused($"the OpenID Connect token has no '{oidc.ActorClaim}' claim to record as the actor",
                new TokenRefusal(RefusedCredential.UnusableActor, Jwt, $"no '{oidc.ActorClaim}' claim"));
        }

        if (actor.Length > MaxActorLength)
        {
            // Recorded in every event it makes and shown in every history table: a name, not a document.
            return AdminAuthentication.Refused($"the OpenID Connect token's '{oidc.ActorClaim}' claim is {actor.Length} characters; at most {MaxActorLength} are recorded as the actor",
                new TokenRefusal(RefusedCredential.UnusableActor, Jwt, $"its '{oidc.ActorClaim}' claim is too long"));
        }

        if (Glidepath.Environments.RecordedText.UnprintableAt(actor) is not null)
        {
            // The actor is printed in terminals (glidepath history): an escape sequence in it could show another actor.
            return AdminAuthentication.Refused($"the OpenID Connect token's '{oidc.ActorClaim}' claim holds a character that is not printable; it cannot be recorded as the actor",
                new TokenRefusal(RefusedCredential.UnusableActor, Jwt, $"its '{oidc.ActorClaim}' claim is not printable"));
        }

        return AdminAuthentication.Accepted(new Principal("oidc:" + actor, Grants(user, oidc)));
    }

    /// <summary>The longest actor claim taken (an e-mail address or a subject id is far shorter).</summary>
    public const int MaxActorLength = 200;

    /// <summary>How a refused JWT is named in the log: its claims are not verified, so none of them is logged.</summary>
    private const string Jwt = "jwt";

    private static List<Grant> Grants(ClaimsPrincipal user, OidcOptions oidc)
    {
        var grants = new List<Grant>();
        foreach (var claim in user.FindAll(oidc.RolesClaim))
        {
            if (oidc.Roles.TryGetValue(claim.Value, out var grant))
            {
                grants.Add(grant);
            }
        }

        return grants;
    }

    private static string? Bearer(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var value = header[scheme.Length..].Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>Why a JWT was refused, in words (the validator's exception text may quote claims; the token is never echoed).</summary>
    private static string Reason(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "it has expired",
        SecurityTokenNotYetValidException => "it is not valid yet",
        SecurityTokenInvalidAudienceException => "it is for another audience",
        SecurityTokenInvalidIssuerException => "it is from another issuer",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature does not verify with the configured keys",
        SecurityTokenMalformedException => "it is not a well-formed JWT",
        SecurityTokenNoExpirationException => "it has no expiry (exp)",
        SecurityTokenInvalidLifetimeException => "its nbf (not before) is after its exp",
        _ => "it did not validate",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "admin: an OpenID Connect token could not be checked: {Reason}")]
    private static partial void LogNotChecked(ILogger logger, string reason);
}
