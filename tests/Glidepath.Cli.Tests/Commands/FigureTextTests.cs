using Glidepath.Cli.Commands;

namespace Glidepath.Cli.Tests.Commands;

public sealed class FigureTextTests
{
    [Theory]
    [InlineData(5.0, "$5")]
    [InlineData(0.06, "$0.06")]
    [InlineData(12.3456, "$12.35")]
    [InlineData(0.0003, "$0.0003")]
    [InlineData(0.000405, "$0.000405")]
    [InlineData(0.00012345, "$0.000123")]
    [InlineData(0.0, "$0")]
    public void Usd_SmallAmounts_KeepThreeSignificantDigitsInsteadOfRoundingToZero(double value, string expected) =>
        Assert.Equal(expected, FigureText.Usd(value));

    [Theory]
    [InlineData(1.0, "100%")]
    [InlineData(0.1, "10%")]
    [InlineData(0.125, "12.5%")]
    [InlineData(0.000001, "0.0001%")]
    [InlineData(0.0000123, "0.00123%")]
    public void Percent_SmallShares_KeepThreeSignificantDigitsInsteadOfRoundingToZero(double share, string expected) =>
        Assert.Equal(expected, FigureText.Percent(share));
}
