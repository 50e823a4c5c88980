using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Environments;

public sealed class EnvironmentsSectionTests
{
    [Fact]
    public void Parse_VarsProvidersRequiresAndOwner_Read()
    {
        var (envs, errors) = Read("""
            staging:
              vars: { kb_url: "https://kb.staging" }
              providers: { openai: { api_key_env: OPENAI_STAGING } }
            production:
              requires: [staging]
              owner: oncall
            """, EnvironmentsSection.Parse);

        Assert.Empty(errors);
        Assert.Equal(["staging", "production"], envs.Select(e => e.Name));
        Assert.Equal("https://kb.staging", envs[0].Vars["kb_url"]);
        Assert.Equal("OPENAI_STAGING", envs[0].Providers["openai"].ApiKeyEnv);
        Assert.Equal(["staging"], envs[1].Requires);
        Assert.Equal("oncall", envs[1].Owner);
    }

    // For the warning about a vars key no template uses, at its manifest line (newcomer M2).
    [Fact]
    public void Parse_Vars_LineOfEachKeptBlockAndFlowStyle()
    {
        var (envs, errors) = Read("""
            staging:
              vars:
                plan: gold
                tone: warm
            production:
              vars: { plna: gold }
            canary:
              vars:
                region:
                  eu-west
            """, EnvironmentsSection.Parse);

        Assert.Empty(errors);
        Assert.Equal((3, 4), (envs[0].VarLines["plan"], envs[0].VarLines["tone"]));
        Assert.Equal(6, envs[1].VarLines["plna"]);
        Assert.Equal(9, envs[2].VarLines["region"]); // the key's line, not its value's (a review: one off)
    }

    [Fact]
    public void Parse_RequestVars_ReadPerEnvironment_DefaultNone()
    {
        var (envs, errors) = Read("""
            staging:
              request_vars: [customer_tier, locale]
            production:
            """, EnvironmentsSection.Parse);

        Assert.Empty(errors);
        Assert.Equal(["customer_tier", "locale"], envs[0].RequestVars);
        Assert.Empty(envs[1].RequestVars);
    }

    [Fact]
    public void Parse_RoutingHeaders_ReadPerEnvironment_DefaultOff()
    {
        var (envs, errors) = Read("""
            staging:
              routing_headers: true
            production:
              routing_headers: false
            dev:
            """, EnvironmentsSection.Parse);

        Assert.Empty(errors);
        Assert.Equal([true, false, false], envs.Select(e => e.RoutingHeaders));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("\"true\"")]
    [InlineData("[true]")]
    public void Parse_RoutingHeadersNotABoolean_ReportedAtItsLine(string value)
    {
        var (envs, errors) = Read($"staging:\n  owner: a\n  routing_headers: {value}\n", EnvironmentsSection.Parse);

        var error = Assert.Single(errors).ToString();
        Assert.StartsWith("glidepath.yaml:3:", error, StringComparison.Ordinal);
        Assert.EndsWith("expected true or false", error, StringComparison.Ordinal);
        Assert.Contains("environments.staging.routing_headers is ", error, StringComparison.Ordinal);
        Assert.False(Assert.Single(envs).RoutingHeaders);
    }

    [Fact]
    public void Parse_RequestVarThatIsNoVariableName_Reported()
    {
        var (_, errors) = Read("staging: { request_vars: [\"customer tier\"] }\n", EnvironmentsSection.Parse);

        Assert.Contains("'customer tier'", Single(errors, "not a template variable name"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EnvironmentWithNoSettings_IsDeclared()
    {
        var (envs, errors) = Read("dev:\n", EnvironmentsSection.Parse);

        Assert.Empty(errors);
        var dev = Assert.Single(envs);
        Assert.Equal("dev", dev.Name);
        Assert.Empty(dev.Requires);
        Assert.Null(dev.Owner);
    }

    [Fact]
    public void Parse_CycleThroughTwoEnvironments_ReportedForEach()
    {
        var (_, errors) = Read("""
            staging: { requires: [production], owner: a }
            production: { requires: [staging], owner: b }
            """, EnvironmentsSection.Parse);

        Assert.Equal(
            [
                "glidepath.yaml:1:1: environment 'staging' requires itself through its promotion path; expected a path without cycles",
                "glidepath.yaml:1:1: environment 'production' requires itself through its promotion path; expected a path without cycles",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_RequiresWithoutOwner_ReportedAtTheName()
    {
        var (_, errors) = Read("staging:\nproduction:\n  requires: [staging]\n", EnvironmentsSection.Parse);

        Assert.Equal("glidepath.yaml:2:1: environment 'production' has a promotion path (requires) but no owner; expected 'owner:' naming who owns the rollback decision there",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_RequiresAnUndeclaredEnvironment_ListsTheOthers()
    {
        var (_, errors) = Read("staging:\nproduction: { requires: [qa], owner: b }\n", EnvironmentsSection.Parse);

        Assert.Equal("glidepath.yaml:2:25: environments.production.requires names 'qa', which is not declared; expected one of the other environments: staging",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_InvalidName_Rejected()
    {
        var (_, errors) = Read("Prod:\n", EnvironmentsSection.Parse);

        Assert.Equal("glidepath.yaml:1:1: environment name 'Prod' is not valid; expected 1 to 32 characters: lower-case letters, digits, '_' or '-', starting with a letter or digit", Assert.Single(errors).ToString());
    }

    // An outside trial: a 33-character name of valid characters got "expected lower-case letters, digits, '_' or '-'".
    [Fact]
    public void Parse_NameOver32Characters_TheMessageNamesTheLimit()
    {
        var name = new string('a', 33);

        var (_, errors) = Read(name + ":\n", EnvironmentsSection.Parse);

        Assert.Contains($"environment name '{name}' is not valid; expected 1 to 32 characters", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }
}
