using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Prices;

public sealed class PricesSectionTests
{
    [Fact]
    public void Parse_InputAndOutput_ReadPerModel()
    {
        var (prices, errors) = Read("prices: { m1: { input: 3, output: 15.5 }, m2: { input: 0, output: 0 } }\n",
            (r, m) => PricesSection.Parse(r, m.Children["prices"]));

        Assert.Empty(errors);
        Assert.Equal(new ModelPrice(3, 15.5), prices["m1"]);
        Assert.Equal(new ModelPrice(0, 0), prices["m2"]);
    }

    [Fact]
    public void Parse_OutputMissing_ReportedAtTheModelsPrices()
    {
        var (_, errors) = Read("prices:\n  m1: { input: 3 }\n", (r, m) => PricesSection.Parse(r, m.Children["prices"]));

        Assert.Equal("glidepath.yaml:2:7: prices.m1 needs both input and output; expected USD per million tokens, e.g. { input: 3.0, output: 15.0 }", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_NegativePriceOrUnknownKey_Rejected()
    {
        var (_, errors) = Read("prices:\n  m1: { input: -1, output: 2, cached: 1 }\n", (r, m) => PricesSection.Parse(r, m.Children["prices"]));

        Assert.Contains("glidepath.yaml:2:16: input is -1; expected a number of at least 0", Single(errors, "input is -1"), StringComparison.Ordinal);
        Assert.Equal("glidepath.yaml:2:31: unknown key 'cached' in prices.m1; expected one of: input, output, cache_read, cache_write, cache_write_1h", Single(errors, "cached"));
    }

    [Fact]
    public void Parse_CachePrices_ReadWhenGivenAndUnsetOtherwise()
    {
        var (prices, errors) = Read("prices: { m1: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75, cache_write_1h: 6 }, m2: { input: 1, output: 2 } }\n",
            (r, m) => PricesSection.Parse(r, m.Children["prices"]));

        Assert.Empty(errors);
        Assert.Equal(new ModelPrice(3, 15) { CacheRead = 0.3, CacheWrite = 3.75, CacheWrite1h = 6 }, prices["m1"]);
        Assert.Equal((null, null, null), (prices["m2"].CacheRead, prices["m2"].CacheWrite, prices["m2"].CacheWrite1h));
    }

    [Fact]
    public void Parse_CachePriceNegativeOrNotANumber_ReportedWithFileAndLine()
    {
        var (_, errors) = Read("prices:\n  m1: { input: 3, output: 15, cache_read: -0.1, cache_write: lots }\n", (r, m) => PricesSection.Parse(r, m.Children["prices"]));

        Assert.Contains("glidepath.yaml:2:43: cache_read is -0.1; expected a number of at least 0", Single(errors, "cache_read"), StringComparison.Ordinal);
        Assert.Contains("glidepath.yaml:2:62: cache_write is", Single(errors, "cache_write"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotAMapping_Rejected()
    {
        var (prices, errors) = Read("prices: [m1]\n", (r, m) => PricesSection.Parse(r, m.Children["prices"]));

        Assert.Empty(prices);
        Assert.Equal("glidepath.yaml:1:9: prices must be a mapping; expected 'key: value' entries", Assert.Single(errors).ToString());
    }
}
