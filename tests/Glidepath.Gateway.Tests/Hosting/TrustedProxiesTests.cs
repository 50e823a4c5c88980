using System.Net;
using Glidepath.Errors;
using Glidepath.Gateway;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary><c>--forwarded-from</c> / <c>--forwarded-host</c>: what is read as a proxy, and what is refused before anything listens.</summary>
public sealed class TrustedProxiesTests
{
    [Fact]
    public void Parse_NothingGiven_IsNull_ForwardedHeadersStayIgnored() =>
        Assert.Null(TrustedProxies.Parse([], []));

    [Theory]
    [InlineData("10.0.0.2", "10.0.0.2", true)]
    [InlineData("10.0.0.2", "10.0.0.3", false)]
    [InlineData("10.0.0.2", "::ffff:10.0.0.2", true)]
    [InlineData("::ffff:10.0.0.2", "10.0.0.2", true)]
    [InlineData("10.0.0.0/24", "10.0.0.200", true)]
    [InlineData("10.0.0.0/24", "10.0.1.1", false)]
    [InlineData("10.0.0.0/24", "::ffff:10.0.0.9", true)]
    [InlineData("10.0.0.5/24", "10.0.0.200", true)]
    [InlineData("fd00::/8", "fd12::1", true)]
    [InlineData("fd00::/8", "10.0.0.2", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "127.0.0.1", false)]
    public void Includes_TheNamedAddressOrNetworkOnly(string named, string remote, bool expected) =>
        Assert.Equal(expected, TrustedProxies.Parse([named], [])!.Includes(IPAddress.Parse(remote)));

    [Fact]
    public void Includes_AUnixSocketConnection_OnlyWhenUnixIsNamed()
    {
        Assert.False(TrustedProxies.Parse(["127.0.0.1"], [])!.Includes(null));
        Assert.True(TrustedProxies.Parse(["unix"], [])!.Includes(null));
        Assert.False(TrustedProxies.Parse(["unix"], [])!.Includes(IPAddress.Loopback));
    }

    [Theory]
    [InlineData("proxy.internal", "not an IP address")]
    [InlineData("4000", "not an IP address")]
    [InlineData("10.1", "not an IP address")]
    [InlineData("10.0.0.0/33", "not an IP address")]
    [InlineData("0.0.0.0/0", "trusts every caller")]
    [InlineData("::/0", "trusts every caller")]
    [InlineData("0.0.0.0", "no address a proxy connects from")]
    [InlineData("::", "no address a proxy connects from")]
    [InlineData("", "not an IP address")]
    public void Parse_AValueThatNamesNoProxy_IsRefusedWithTheReason(string value, string reason)
    {
        var ex = Assert.Throws<BadInputException>(() => TrustedProxies.Parse([value], []));

        Assert.Contains("--forwarded-from", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gp.example.com")]
    [InlineData("*.example.com")]
    [InlineData("10.0.0.5")]
    [InlineData("[fd00::5]")]
    public void Parse_ForwardedHost_AHostName_IsKept(string host) =>
        Assert.Equal([host], TrustedProxies.Parse(["10.0.0.2"], [host])!.Hosts);

    [Theory]
    [InlineData("*", "would accept any host")]
    [InlineData("0.0.0.0", "would accept any host")]
    [InlineData("[::]", "would accept any host")]
    [InlineData("gp.example.com:443", "without a port")]
    [InlineData("https://gp.example.com", "without a port")]
    [InlineData("gp example", "without a port")]
    public void Parse_ForwardedHost_NotOneHost_IsRefused(string host, string reason)
    {
        var ex = Assert.Throws<BadInputException>(() => TrustedProxies.Parse(["10.0.0.2"], [host]));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ForwardedHostWithoutForwardedFrom_IsRefused()
    {
        var ex = Assert.Throws<BadInputException>(() => TrustedProxies.Parse([], ["gp.example.com"]));

        Assert.Contains("--forwarded-host needs --forwarded-from", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NamesTheProxiesAsGiven() =>
        Assert.Equal("10.0.0.2, 10.1.0.0/16, unix", TrustedProxies.Parse(["10.0.0.2", "unix", "10.1.0.0/16"], [])!.ToString());
}
