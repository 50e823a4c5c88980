using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>Student's t against published table values (and the normal as its limit), and the radius it widens.</summary>
public sealed class StudentTTests
{
    [Theory]
    [InlineData(1.0, 1, 0.25)]            // Cauchy: exactly a quarter beyond 1
    [InlineData(2.228138852, 10, 0.025)]  // t(0.975; 10)
    [InlineData(2.860934606, 19, 0.005)]  // t(0.995; 19)
    [InlineData(4.604094871, 4, 0.005)]   // t(0.995; 4)
    [InlineData(-2.228138852, 10, 0.975)]
    public void UpperTail_TableValues(double t, double df, double expected)
    {
        Assert.Equal(expected, StudentT.UpperTail(t, df), 7);
    }

    [Theory]
    [InlineData(0.005, 4, 4.604094871)]
    [InlineData(0.0005, 19, 3.883405852)]
    [InlineData(0.025, 2.5, 3.574655)] // real degrees of freedom, as Welch–Satterthwaite gives them
    public void UpperQuantile_TableValues(double p, double df, double expected)
    {
        Assert.Equal(expected, StudentT.UpperQuantile(p, df), 4);
    }

    [Theory]
    [InlineData(1.959963985, 0.025)]
    [InlineData(3.290526731, 0.0005)]
    [InlineData(-1.0, 0.841344746)]
    public void NormalUpperTail_TableValues(double z, double expected)
    {
        Assert.Equal(expected, StudentT.NormalUpperTail(z), 6);
    }

    [Fact]
    public void UpperTail_ManyDegreesOfFreedom_IsTheNormal()
    {
        Assert.Equal(StudentT.NormalUpperTail(3.5), StudentT.UpperTail(3.5, 1e7), 7);
    }

    [Fact]
    public void Radius_FewDegreesOfFreedom_WiderTheFewerAndUnchangedWhenKnown()
    {
        const double alpha = 0.01;
        var rho = ConfidenceSequence.RhoFor(200, alpha);
        var known = ConfidenceSequence.Radius(0.001, 400, alpha, rho);

        var infinite = ConfidenceSequence.Radius(0.001, 400, alpha, rho, double.PositiveInfinity);
        var many = ConfidenceSequence.Radius(0.001, 400, alpha, rho, 1e6);
        var twenty = ConfidenceSequence.Radius(0.001, 400, alpha, rho, 19);
        var five = ConfidenceSequence.Radius(0.001, 400, alpha, rho, 4);

        Assert.Equal(known, infinite);
        Assert.Equal(known, many);
        Assert.True(twenty > known * 1.05 && five > twenty * 1.3, $"known {known}, df 19 {twenty}, df 4 {five}");
        // The widened bound's height in t units has the normal height's tail: the same chance per look.
        var z = known / Math.Sqrt(0.001);
        Assert.Equal(StudentT.NormalUpperTail(z), StudentT.UpperTail(twenty / Math.Sqrt(0.001), 19), 9);
    }
}
