using Glidepath.Gateway.Hosting;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Hosting;

public sealed class ListenExposureTests
{
    [Theory]
    [InlineData("http://127.0.0.1:4000", true)]
    [InlineData("http://127.8.9.10:4000", true)]
    [InlineData("http://localhost:4000", true)]
    [InlineData("http://[::1]:4000", true)]
    [InlineData("http://0.0.0.0:4000", false)]
    [InlineData("http://[::]:4000", false)]
    [InlineData("http://*:4000", false)]
    [InlineData("http://+:4000", false)]
    [InlineData("https://10.0.0.5:443", false)]
    [InlineData("http://gateway.internal:4000", false)]
    public void IsLoopback_ListenUrl_TrueOnlyForThisMachine(string url, bool expected) =>
        Assert.Equal(expected, ListenExposure.IsLoopback(url));

    [Fact]
    public void Warning_ExposedAddressServedAnonymously_NamesItAndSaysItServesWithoutKeys()
    {
        var warning = ListenExposure.Warning(ListenExposure.NonLoopback(["http://127.0.0.1:4000", "http://0.0.0.0:4001"]), keysRequired: false);

        Assert.NotNull(warning);
        Assert.Contains("http://0.0.0.0:4001", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("http://127.0.0.1:4000", warning, StringComparison.Ordinal);
        Assert.Contains("serves without keys", warning, StringComparison.Ordinal);
        Assert.Null(ListenExposure.Warning(ListenExposure.NonLoopback(["http://127.0.0.1:4000", "http://[::1]:4000"]), keysRequired: false));
    }

    [Fact]
    public void Warning_ExposedAddressWithKeys_SaysMetricsNeedsAToken()
    {
        var warning = ListenExposure.Warning(["http://0.0.0.0:4001"], keysRequired: true);

        Assert.Contains("need a caller's key", warning, StringComparison.Ordinal);
        Assert.Contains("/metrics needs an access token", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ClearTextWarning_PlainHttpOnAnExposedAddress_NamesItAndSaysTokensTravelReadable()
    {
        var warning = ListenExposure.ClearTextWarning(["http://127.0.0.1:4000", "http://192.0.2.2:4312", "https://10.0.0.5:443"], behindProxy: false);

        Assert.NotNull(warning);
        Assert.Contains("http://192.0.2.2:4312", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.5", warning, StringComparison.Ordinal);
        Assert.Contains("access tokens and session cookies", warning, StringComparison.Ordinal);
        Assert.Contains("--forwarded-from", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4000", false)]
    [InlineData("http://[::1]:4000", false)]
    [InlineData("https://0.0.0.0:4443", false)]
    [InlineData("http://unix:/run/glidepath.sock", false)]
    [InlineData("4001", false)]
    [InlineData("http://0.0.0.0:4000", true)]
    [InlineData("http://gateway.internal:4000", true)]
    public void ClearTextWarning_OnlyForPlainHttpOtherMachinesReach(string url, bool warns) =>
        Assert.Equal(warns, ListenExposure.ClearTextWarning([url], behindProxy: false) is not null);

    [Fact]
    public void ClearTextWarning_ANamedReverseProxy_SilencesIt() =>
        Assert.Null(ListenExposure.ClearTextWarning(["http://0.0.0.0:4000"], behindProxy: true));

    // /metrics on its own port answers without a token: on plain http other machines reach, that is said at start, as
    // for the admin listener (an outside trial found it silent).
    [Theory]
    [InlineData("http://0.0.0.0:9464", true)]
    [InlineData("http://192.0.2.2:9464", true)]
    [InlineData("9464", false)]
    [InlineData("http://127.0.0.1:9464", false)]
    [InlineData("https://0.0.0.0:9464", false)]
    public void MetricsWarning_OnlyForPlainHttpOtherMachinesReach(string url, bool warns)
    {
        var warning = ListenExposure.MetricsWarning([url]);

        Assert.Equal(warns, warning is not null);
        if (warning is not null)
        {
            Assert.StartsWith($"WARNING: /metrics listens on plain http on {url}, which other machines can reach, and answers there without a token", warning, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StartAsync_LoopbackOnly_NoExposureWarning()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();

        Assert.Null(f.Server!.ExposureWarning);
    }
}
