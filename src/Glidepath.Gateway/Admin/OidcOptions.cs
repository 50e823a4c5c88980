using Glidepath.Access;
using Glidepath.Errors;
using Microsoft.IdentityModel.Tokens;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Which OpenID Connect bearer tokens (JWTs) the admin API accepts and what they may do: the issuer and audience a token
/// must name, the keys its signature must verify with (given here, or fetched from <see cref="Authority"/>'s discovery
/// document), and which values of <see cref="RolesClaim"/> grant which role in which environment. A token whose claims
/// map to no grant is refused (403): signing in is not enough.
/// </summary>
public sealed record OidcOptions
{
    /// <summary>The <c>iss</c> a token must carry, e.g. <c>https://login.microsoftonline.com/TENANT/v2.0</c>.</summary>
    public required string Issuer { get; init; }

    /// <summary>The <c>aud</c> a token must carry, e.g. <c>api://glidepath</c>.</summary>
    public required string Audience { get; init; }

    /// <summary>Where signing keys are discovered (<c>/.well-known/openid-configuration</c>); null when <see cref="SigningKeys"/> are given.</summary>
    public string? Authority { get; init; }

    /// <summary>Keys a token's signature must verify with; when empty, the authority's published keys.</summary>
    public IReadOnlyList<SecurityKey> SigningKeys { get; init; } = [];

    /// <summary>The claim whose values are mapped to grants (<c>roles</c> for Entra ID app roles).</summary>
    public string RolesClaim { get; init; } = "roles";

    /// <summary>The claim recorded as the actor of a change (<c>oidc:</c> + its value); <c>sub</c> by default.</summary>
    public string ActorClaim { get; init; } = "sub";

    /// <summary>A value of <see cref="RolesClaim"/> → what it grants, e.g. <c>Glidepath.Production.Owner</c> → owner in production.</summary>
    public IReadOnlyDictionary<string, Grant> Roles { get; init; } = new Dictionary<string, Grant>();

    /// <summary>Largest clock difference tolerated on <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(1);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Issuer) || string.IsNullOrWhiteSpace(Audience))
        {
            throw new BadInputException("OIDC needs both an issuer (--oidc-issuer) and an audience (--oidc-audience)");
        }

        if (SigningKeys.Count == 0 && string.IsNullOrWhiteSpace(Authority))
        {
            throw new BadInputException("OIDC needs signing keys (--oidc-signing-key FILE.pem) or an authority to discover them from (--oidc-authority URL)");
        }

        if (Authority is { } a && !(Uri.TryCreate(a, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            throw new BadInputException($"OIDC authority '{a}' is not an https:// URL; signing keys are fetched only over https");
        }

        if (Roles.Count == 0)
        {
            throw new BadInputException("OIDC needs at least one role mapping (--oidc-role VALUE=ROLE@ENV, e.g. Glidepath.Production.Owner=owner@production): without one no token could do anything");
        }
    }
}
