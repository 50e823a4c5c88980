using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Tests.Models;

public sealed class PriceTableTests
{
    [Fact]
    public void Cost_KnownModel_UsdFromPerMillionPrices()
    {
        var table = new PriceTable();
        Assert.Equal(3.0m * 1000 / 1_000_000m + 15.0m * 200 / 1_000_000m, table.Cost("claude-sonnet-4-5", 1000, 200));
    }

    [Fact]
    public void Cost_ManifestOverride_WinsOverDefault()
    {
        var table = new PriceTable(new Dictionary<string, ModelPrice> { ["claude-sonnet-4-5"] = new(1.0, 2.0) });
        Assert.Equal(0.003m, table.Cost("claude-sonnet-4-5", 1000, 1000));
    }

    [Fact]
    public void Find_DatedSnapshot_PricesLikeItsFamilyButNotASiblingFamily()
    {
        var table = new PriceTable();
        Assert.Equal(new ModelPrice(3.0, 15.0), table.Find("claude-sonnet-4-5-20250929"));
        Assert.Equal(new ModelPrice(0.15, 0.6), table.Find("gpt-4o-mini-2024-07-18"));
        Assert.Equal(new ModelPrice(2.5, 10.0), table.Find("gpt-4o-2024-08-06"));
    }

    [Fact]
    public void Cost_UnknownModel_NullNotZero()
    {
        Assert.Null(new PriceTable().Cost("my-local-llama", 1000, 1000));
    }

    [Theory]
    [InlineData("my-local-llama", 0.0, null)]        // no price, nothing reported: unknown, not free
    [InlineData(null, 0.0, null)]
    [InlineData("my-local-llama", 0.002, 0.002)]     // a cost the provider reported stands
    [InlineData("gpt-4o-mini", 0.0, 0.0)]            // a priced model's 0 (an error, no tokens) is 0
    public void Known_RecordedZeroForAModelWithoutPrice_IsUnknown(string? model, double recorded, double? expected)
    {
        Assert.Equal(expected, new PriceTable().Known(model, recorded));
    }

    [Fact]
    public void Cost_UsageDetails_UsesInputAndOutputCounts()
    {
        var usage = new UsageDetails { InputTokenCount = 2_000_000, OutputTokenCount = 1_000_000 };
        Assert.Equal(2 * 0.15m + 0.6m, new PriceTable().Cost("gpt-4o-mini", usage));
    }
}
