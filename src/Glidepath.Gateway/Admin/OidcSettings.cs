using System.Security.Cryptography;
using Glidepath.Access;
using Glidepath.Errors;
using Microsoft.IdentityModel.Tokens;

namespace Glidepath.Gateway.Admin;

/// <summary>Reads the OIDC settings a host takes as text (<c>serve --oidc-role</c>, <c>--oidc-signing-key</c>) into <see cref="OidcOptions"/>' types.</summary>
public static class OidcSettings
{
    /// <summary>
    /// <c>VALUE=ROLE@ENV</c> pairs, e.g. <c>Glidepath.Production.Owner=owner@production</c> or <c>Glidepath.Admin=admin@*</c>:
    /// a token whose roles claim holds VALUE is granted ROLE in ENV.
    /// </summary>
    public static IReadOnlyDictionary<string, Grant> ParseRoles(IEnumerable<string> pairs, Func<string, bool> isEnvironment)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(isEnvironment);
        var map = new Dictionary<string, Grant>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.LastIndexOf('=');
            var at = pair.LastIndexOf('@');
            if (eq <= 0 || at < eq + 2 || at == pair.Length - 1)
            {
                throw new BadInputException($"--oidc-role '{pair}' is not VALUE=ROLE@ENV; expected e.g. Glidepath.Production.Owner=owner@production");
            }

            var role = RoleNames.TryParse(pair[(eq + 1)..at])
                ?? throw new BadInputException($"--oidc-role '{pair}': '{pair[(eq + 1)..at]}' is not one of viewer, deployer, owner, admin");
            var environment = pair[(at + 1)..];
            if (environment != Grant.AnyEnvironment && !isEnvironment(environment))
            {
                throw new BadInputException($"--oidc-role '{pair}': no environment '{environment}' in the manifest (or '*' for all)");
            }

            if (!map.TryAdd(pair[..eq], new Grant(environment, role)))
            {
                throw new BadInputException($"--oidc-role: '{pair[..eq]}' is mapped twice; give each claim value one grant");
            }
        }

        return map;
    }

    /// <summary>A public key in PEM (RSA or EC) that an OIDC token's signature must verify with.</summary>
    public static SecurityKey SigningKeyFromPem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            // The import would take it (a private key holds the public one), but a gateway that holds the issuer's
            // private key lets whoever reads its files mint any role's token: refuse it, so the key goes back where it belongs.
            throw new BadInputException($"{source} holds a private key; give the issuer's public key instead (openssl pkey -in {source} -pubout), and keep the private key off this host");
        }

        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
        }
        catch (CryptographicException)
        {
        }

        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new BadInputException($"{source} holds no RSA or EC public key in PEM ('-----BEGIN PUBLIC KEY-----'); export the issuer's signing key, or use --oidc-authority", ex);
        }
    }
}
