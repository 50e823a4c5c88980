using Glidepath.Errors;
using Glidepath.Gateway.Hosting;

namespace Glidepath.Gateway.Tests.Hosting;

public sealed class GatewayAuthenticationTests
{
    [Theory]
    [InlineData("http://127.0.0.1:4000", false, false, false)]
    [InlineData("http://localhost:4000", false, false, false)]
    [InlineData("http://[::1]:4000", false, false, false)]
    [InlineData("http://127.0.0.1:4000", true, false, true)]
    [InlineData("http://0.0.0.0:4000", false, false, true)]
    [InlineData("http://*:4000", false, false, true)]
    [InlineData("http://10.0.0.5:4000", false, false, true)]
    [InlineData("http://0.0.0.0:4000", false, true, false)]
    [InlineData("http://127.0.0.1:4000", false, true, false)]
    public void RequiresKeys_ByBindAndFlags(string url, bool requireKeys, bool allowAnonymous, bool expected) =>
        Assert.Equal(expected, GatewayAuthentication.RequiresKeys([url], requireKeys, allowAnonymous));

    [Fact]
    public void RequiresKeys_OneNonLoopbackAmongLoopback_Required() =>
        Assert.True(GatewayAuthentication.RequiresKeys(["http://127.0.0.1:4000", "http://0.0.0.0:4001"], false, false));

    [Fact]
    public void RequiresKeys_BothFlags_BadInput() =>
        Assert.Throws<BadInputException>(() => GatewayAuthentication.RequiresKeys(["http://127.0.0.1:4000"], true, true));

    [Fact]
    public void CheckKeysExist_RequiredWithoutKeys_RefusedNamingAllowAnonymous()
    {
        // A refusal by policy (exit 4, DESIGN's exit codes), not a usage error.
        var ex = Assert.Throws<PolicyException>(() => GatewayAuthentication.CheckKeysExist(true, 0, "production"));

        Assert.Contains("--allow-anonymous", ex.Message, StringComparison.Ordinal);
        GatewayAuthentication.CheckKeysExist(true, 1, "production");
        GatewayAuthentication.CheckKeysExist(false, 0, "production");
    }
}
