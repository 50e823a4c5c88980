using Glidepath.Evals;

namespace Glidepath.Tests.Evals;

public sealed class ThresholdTextTests
{
    [Theory]
    [InlineData(0.0952, 0.1, "0.00", "0.095")]      // read "0.10 (pass at 0.1)" for a failure
    [InlineData(0.50001, 0.5, "0.00", "0.50001")]    // above, not at
    [InlineData(0.5, 0.5, "0.00", "0.50")]          // at the threshold: as usual
    [InlineData(0.6667, 0.5, "0.00", "0.67")]       // clearly on one side: as usual
    [InlineData(0.6951, 0.7, "0.##", "0.695")]      // a judge score that rounded up to its pass mark
    [InlineData(200.4, 200, "0", "200.4")]
    [InlineData(-0.0001, 0, "+0.###;-0.###;0", "-0.0001")] // an interval's bound just below "no drop" read "0"
    [InlineData(-0.1004, -0.1, "+0.000;-0.000;0.000", "-0.1004")]
    [InlineData(0.0001, 0, "+0.000;-0.000;0.000", "+0.0001")]
    public void Value_RoundingWouldMoveItToTheThresholdOrAcross_AddsDigitsUntilItShowsItsSide(double value, double threshold, string format, string expected) =>
        Assert.Equal(expected, ThresholdText.Value(value, threshold, format));

    // Below the threshold but shown at it in four decimals: more digits, never fewer ("+0" hid the value).
    [Fact]
    public void Value_RoundsOntoTheThreshold_AddsDigitsBeyondTheFormatsOwn() =>
        Assert.Equal("+0.0199996", ThresholdText.Value(0.0199996, 0.02, "+0.0000;-0.0000;+0.0000"));

    [Fact]
    public void Value_ApartOnlyBeyondFifteenDecimals_PrintsTheRoundTripValue() =>
        Assert.Equal("0.10000000000000002", ThresholdText.Value(Math.BitIncrement(0.1), 0.1, "0.00"));

    [Fact]
    public void Limit_PrintsEveryDigitOfTheThreshold() =>
        Assert.Equal(("0.1", "200", "0.0005", "0.00005"), (ThresholdText.Limit(0.1), ThresholdText.Limit(200), ThresholdText.Limit(0.0005), ThresholdText.Limit(0.00005)));
}
