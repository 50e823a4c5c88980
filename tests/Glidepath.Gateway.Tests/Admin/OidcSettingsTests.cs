using System.Security.Cryptography;
using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Gateway.Admin;
using Microsoft.IdentityModel.Tokens;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>The OIDC settings `serve` takes as text: signing keys in PEM and VALUE=ROLE@ENV role mappings, checked before anything listens.</summary>
public sealed class OidcSettingsTests
{
    [Fact]
    public void SigningKeyFromPem_RsaAndEcPublicKeys_AreTheirKeyTypes()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.IsType<RsaSecurityKey>(OidcSettings.SigningKeyFromPem(rsa.ExportSubjectPublicKeyInfoPem(), "rsa.pem"));
        Assert.IsType<ECDsaSecurityKey>(OidcSettings.SigningKeyFromPem(ec.ExportSubjectPublicKeyInfoPem(), "ec.pem"));
    }

    [Fact]
    public void SigningKeyFromPem_NoKey_IsBadInputNamingTheFile()
    {
        var ex = Assert.Throws<BadInputException>(() => OidcSettings.SigningKeyFromPem("not a key", "keys/issuer.pem"));

        Assert.Contains("keys/issuer.pem", ex.Message, StringComparison.Ordinal);
    }

    // The import takes a private key too (it holds the public one): an operator who gave the issuer's private key started
    // without a word, and anyone reading the gateway's files could mint tokens of any role (trial "attacker").
    [Theory]
    [InlineData("rsa-pkcs8")]
    [InlineData("rsa-pkcs1")]
    [InlineData("ec")]
    public void SigningKeyFromPem_PrivateKey_IsBadInputSayingSo(string kind)
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = kind switch
        {
            "rsa-pkcs8" => rsa.ExportPkcs8PrivateKeyPem(),
            "rsa-pkcs1" => rsa.ExportRSAPrivateKeyPem(),
            _ => ec.ExportECPrivateKeyPem(),
        };

        var ex = Assert.Throws<BadInputException>(() => OidcSettings.SigningKeyFromPem(pem, "keys/issuer.pem"));

        Assert.Contains("keys/issuer.pem holds a private key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-pubout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseRoles_ValueRoleAtEnvironment_AndStarForAll()
    {
        var map = OidcSettings.ParseRoles(["Glidepath.Production.Owner=owner@production", "Glidepath.Viewer=viewer@*", "a=b=admin@staging"], e => e is "production" or "staging");

        Assert.Equal(new Grant("production", Role.Owner), map["Glidepath.Production.Owner"]);
        Assert.Equal(new Grant("*", Role.Viewer), map["Glidepath.Viewer"]);
        Assert.Equal(new Grant("staging", Role.Admin), map["a=b"]);
    }

    [Theory]
    [InlineData("Glidepath.Owner")]
    [InlineData("Glidepath.Owner=owner")]
    [InlineData("=owner@production")]
    [InlineData("Glidepath.Owner=root@production")]
    [InlineData("Glidepath.Owner=owner@nowhere")]
    [InlineData("Glidepath.Owner=owner@")]
    public void ParseRoles_Malformed_IsBadInput(string pair) =>
        Assert.Throws<BadInputException>(() => OidcSettings.ParseRoles([pair], e => e == "production"));

    [Fact]
    public void Validate_WithoutARoleMapping_IsBadInput_ATokenMustGrantSomething()
    {
        var options = AdminHarness.Oidc with { Roles = new Dictionary<string, Grant>() };

        Assert.Throws<BadInputException>(options.Validate);
    }

    [Fact]
    public void Validate_PlainHttpAuthority_IsBadInput()
    {
        var options = AdminHarness.Oidc with { SigningKeys = [], Authority = "http://login.example.test/" };

        Assert.Throws<BadInputException>(options.Validate);
    }

    [Fact]
    public async Task Jwt_SignedWithATrustedEcKey_IsAccepted()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = new ECDsaSecurityKey(ec) { KeyId = "ec-1" };
        await using var h = await AdminHarness.StartAsync(o => o with { Admin = o.Admin! with { Oidc = AdminHarness.Oidc with { SigningKeys = [key] } } });
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var jwt = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AdminHarness.Issuer,
            Audience = AdminHarness.Audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = "ec-user", ["roles"] = new[] { "Glidepath.Viewer" } },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });

        var (status, _) = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", jwt);

        Assert.Equal(200, status);
    }
}
