using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Tests.Models;

/// <summary>One cost formula (<see cref="ModelPrice.Cost"/>) and one reader of a priced response (<see cref="ModelResponseProperties.CostOf"/>).</summary>
public sealed class CostTests
{
    [Fact]
    public void Cost_PerMillionTokens_ExactInDecimal()
    {
        var price = new ModelPrice(3, 15);

        Assert.Equal(0.0105m, price.Cost(1000, 500));
        Assert.Equal(price.Cost(1000, 500), new PriceTable(new Dictionary<string, ModelPrice> { ["m"] = price }).Cost("m", 1000, 500));
    }

    [Fact]
    public void CostOf_DecimalDoubleOrAbsent_ReadTheSameWay()
    {
        Assert.Equal(0.25m, ModelResponseProperties.CostOf(new AdditionalPropertiesDictionary { [ModelResponseProperties.CostUsd] = 0.25m }));
        Assert.Equal(0.25m, ModelResponseProperties.CostOf(new AdditionalPropertiesDictionary { [ModelResponseProperties.CostUsd] = 0.25d }));
        Assert.Null(ModelResponseProperties.CostOf(new AdditionalPropertiesDictionary()));
        Assert.Null(ModelResponseProperties.CostOf(null));
    }
}
