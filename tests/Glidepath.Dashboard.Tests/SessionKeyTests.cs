using System.Xml.Linq;
using Glidepath.Errors;
using Glidepath.Gateway.Dashboard;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// The shared session key: read from the variable named, at least 32 bytes, derived the same way by every host given the
/// same secret and another way from another secret; a refusal names the variable and never its value; the key ring it
/// makes holds one key, not the secret, and stores nothing.
/// </summary>
public sealed class SessionKeyTests
{
    private const string Variable = "GLIDEPATH_SESSION_KEY";
    private const string Secret = "q9Wm4Xe7Rb2Tn8Yk5Uc1Ih6Oj3Pa0Sd+Fg/Hl=";

    [Fact]
    public void FromEnvironmentVariable_NotSet_IsBadInputNamingTheVariable()
    {
        var refused = Assert.Throws<BadInputException>(() => Read(Variable, null));

        Assert.Equal(FailureKind.BadInput, refused.Kind);
        Assert.Contains("GLIDEPATH_SESSION_KEY is not set or empty", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    public void FromEnvironmentVariable_EmptyOrBlank_IsRefusedAsNotSet(string value)
    {
        var refused = Assert.Throws<BadInputException>(() => Read(Variable, value));

        Assert.Contains("GLIDEPATH_SESSION_KEY is not set or empty", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironmentVariable_ShorterThan32Bytes_IsBadInputNamingTheVariable_NotItsValue()
    {
        const string short31 = "Short-secret-of-31-bytes-xxxxxx";
        Assert.Equal(31, short31.Length);

        var refused = Assert.Throws<BadInputException>(() => Read(Variable, "  " + short31 + "\n"));

        Assert.Contains("GLIDEPATH_SESSION_KEY is shorter than 32 bytes", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(short31, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Short-secret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironmentVariable_Exactly32Bytes_IsAccepted()
    {
        var key = Read(Variable, new string('k', 16) + new string('Q', 16));

        Assert.Equal(Variable, key.Variable);
    }

    [Theory]
    [InlineData("q9Wm4Xe7Rb2Tn8Yk5Uc1Ih6Oj3Pa0Sd+Fg/Hl=")]
    [InlineData("GLIDEPATH SESSION KEY")]
    [InlineData("1KEY")]
    [InlineData("")]
    public void FromEnvironmentVariable_NotAName_IsRefused_WithoutShowingWhatWasGiven(string given)
    {
        var refused = Assert.Throws<BadInputException>(() => Read(given, Secret));

        Assert.Contains("must be given by its name", refused.Message, StringComparison.Ordinal);
        if (given.Length > 0)
        {
            Assert.DoesNotContain(given, refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FromEnvironmentVariable_ALongNameNotSet_IsNotShown_ItMayBeTheSecretPassedByMistake()
    {
        const string hexSecret = "c0ffee5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6";

        var refused = Assert.Throws<BadInputException>(() => Read(hexSecret, null));

        Assert.DoesNotContain(hexSecret, refused.Message, StringComparison.Ordinal);
        Assert.Contains("is not set or empty", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Derivation_SameSecretSameKey_SurroundingWhitespaceIgnored_AnotherSecretAnotherKey()
    {
        var a = Read(Variable, Secret);
        var b = Read("OTHER_NAME", " " + Secret + "\n");
        var c = Read(Variable, Secret + "!");

        Assert.Equal(a.KeyId, b.KeyId);
        Assert.Equal(a.MasterKey(), b.MasterKey());
        Assert.NotEqual(a.KeyId, c.KeyId);
        Assert.NotEqual(a.MasterKey(), c.MasterKey());
        Assert.Equal(SessionKey.MasterKeyBytes, a.MasterKey().Length);
    }

    [Fact]
    public void Repository_HoldsOneKey_NotTheSecret_ActiveSinceLongAgoUntilFarAhead()
    {
        var key = Read(Variable, Secret);

        var element = Assert.Single(new SessionKeyRepository(key).GetAllElements());

        Assert.Equal("key", element.Name.LocalName);
        Assert.Equal(key.KeyId, (Guid)element.Attribute("id")!);
        Assert.True((DateTimeOffset)element.Element("activationDate")! < DateTimeOffset.UtcNow.AddYears(-20));
        Assert.True((DateTimeOffset)element.Element("expirationDate")! > DateTimeOffset.UtcNow.AddYears(500));
        Assert.Equal(Convert.ToBase64String(key.MasterKey()), element.Descendants("value").Single().Value);
        Assert.DoesNotContain(Secret, element.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Repository_StoresNothing_ANewKeyOrARevocationIsRefused()
    {
        var repository = new SessionKeyRepository(Read(Variable, Secret));

        var refused = Assert.Throws<InvalidOperationException>(() => repository.StoreElement(new XElement("revocation"), "revocation-all"));

        Assert.Contains("change the secret in GLIDEPATH_SESSION_KEY", refused.Message, StringComparison.Ordinal);
        Assert.Single(repository.GetAllElements());
    }

    [Fact]
    public void ToString_OfTheKeyAndOfTheOptions_NamesTheVariableOnly()
    {
        var key = Read(Variable, Secret);
        var options = new DashboardOptions { SessionKey = key }.ToString();

        Assert.Contains("GLIDEPATH_SESSION_KEY", options, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, options, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(key.MasterKey()), options, StringComparison.Ordinal);
        Assert.DoesNotContain(key.KeyId.ToString(), options, StringComparison.OrdinalIgnoreCase);
    }

    private static SessionKey Read(string variable, string? value) => SessionKey.FromEnvironmentVariable(variable, name => name == variable ? value : null);
}
