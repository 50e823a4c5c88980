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
        Assert.Equal((3.0, 15.0), Pair(table.Find("claude-sonnet-4-5-20250929")));
        Assert.Equal((0.15, 0.6), Pair(table.Find("gpt-4o-mini-2024-07-18")));
        Assert.Equal((2.5, 10.0), Pair(table.Find("gpt-4o-2024-08-06")));
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

    [Fact]
    public void Cost_AnthropicCacheTokensWithoutCachePrices_ReadAtATenthAndWrittenAtOneAndAQuarterOfInput()
    {
        // claude-sonnet-4-5 at 3/15: 20 uncached, 5,000 read, 1,000 written, 15 out (the trial's answer).
        var usage = PromptCacheUsage.FromParts(20, 5000, 1000, 15);

        Assert.Equal((6020L, 5000L, 1000L, 20L), (usage.InputTokenCount!.Value, PromptCacheUsage.Read(usage), PromptCacheUsage.Written(usage), PromptCacheUsage.Uncached(usage)));
        Assert.Equal((20 * 3.0m + 5000 * 0.3m + 1000 * 3.75m + 15 * 15.0m) / 1_000_000m, new PriceTable().Cost("claude-sonnet-4-5-20250929", usage));
    }

    // Anthropic bills a write to the 1-hour cache at 2× input (5-minute: 1.25×): when the answer splits its cache writes,
    // the 1-hour part is priced at cache_write_1h, by default 2× input for Claude; an unsplit write stays at cache_write.
    [Fact]
    public void Cost_AnthropicOneHourCacheWrites_PricedAtTwiceTheInput()
    {
        var usage = PromptCacheUsage.FromParts(20, 5000, 1000, 15, cacheWrite1h: 600);

        Assert.Equal(600L, PromptCacheUsage.Written1h(usage));
        Assert.Equal((20 * 3.0m + 5000 * 0.3m + 400 * 3.75m + 600 * 6.0m + 15 * 15.0m) / 1_000_000m, new PriceTable().Cost("claude-sonnet-4-5", usage));
        Assert.Equal((20 * 3.0m + 5000 * 0.3m + 1000 * 3.75m + 15 * 15.0m) / 1_000_000m, new PriceTable().Cost("claude-sonnet-4-5", PromptCacheUsage.FromParts(20, 5000, 1000, 15)));
    }

    [Fact]
    public void Cost_ManifestOneHourCachePrice_WinsAndOtherModelsFollowTheirCacheWritePrice()
    {
        var table = new PriceTable(new Dictionary<string, ModelPrice>
        {
            ["claude-sonnet-4-5"] = new(3.0, 15.0) { CacheWrite1h = 7.0 },
            ["my-llama"] = new(1.0, 10.0) { CacheWrite = 1.5 },
        });
        var usage = PromptCacheUsage.FromParts(0, 0, 1000, 0, cacheWrite1h: 1000);

        Assert.Equal(1000 * 7.0m / 1_000_000m, table.Cost("claude-sonnet-4-5", usage));
        Assert.Equal(1000 * 1.5m / 1_000_000m, table.Cost("my-llama", usage));
        Assert.Equal(30.0, new PriceTable().Find("claude-opus-4-1")!.CacheWrite1h); // 2 × its input price, 15
    }

    [Fact]
    public void Cost_ManifestCachePrices_WinOverTheFamilyDefaults()
    {
        var table = new PriceTable(new Dictionary<string, ModelPrice> { ["claude-sonnet-4-5"] = new(3.0, 15.0) { CacheRead = 1.0, CacheWrite = 2.0 } });

        Assert.Equal((20 * 3.0m + 5000 * 1.0m + 1000 * 2.0m) / 1_000_000m, table.Cost("claude-sonnet-4-5", PromptCacheUsage.FromParts(20, 5000, 1000, 0)));
    }

    [Fact]
    public void Cost_OpenAiCachedTokens_BuiltInCachedPriceOrHalfTheInputPrice()
    {
        // 1,000 prompt tokens of which 900 cached, 10 out.
        var usage = new UsageDetails { InputTokenCount = 1000, CachedInputTokenCount = 900, OutputTokenCount = 10 };
        var table = new PriceTable(new Dictionary<string, ModelPrice> { ["my-llama"] = new(1.0, 10.0) });

        Assert.Equal((100 * 0.15m + 900 * 0.075m + 10 * 0.6m) / 1_000_000m, table.Cost("gpt-4o-mini", usage));
        Assert.Equal((100 * 1.0m + 900 * 0.5m + 10 * 10.0m) / 1_000_000m, table.Cost("my-llama", usage));
    }

    [Fact]
    public void Cost_CachedCountsAboveTheInput_NeverBilledBeyondTheInput()
    {
        var price = new ModelPrice(1.0, 0) { CacheRead = 0.1, CacheWrite = 2.0 };

        Assert.Equal(100 * 0.1m / 1_000_000m, price.Cost(inputTokens: 100, outputTokens: 0, cacheReadTokens: 500, cacheWriteTokens: 500));
        Assert.Equal((60 * 0.1m + 40 * 2.0m) / 1_000_000m, price.Cost(inputTokens: 100, outputTokens: 0, cacheReadTokens: 60, cacheWriteTokens: 500));
    }

    [Fact]
    public void Cost_PriceOutsideATable_BillsCacheTokensAsInput()
    {
        Assert.Equal(0.0105m, new ModelPrice(3, 15).Cost(new UsageDetails { InputTokenCount = 1000, CachedInputTokenCount = 800, OutputTokenCount = 500 }));
    }

    private static (double Input, double Output) Pair(ModelPrice? price) => (price!.Input, price.Output);
}
