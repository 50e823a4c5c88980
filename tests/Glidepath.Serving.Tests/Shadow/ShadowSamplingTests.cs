using Glidepath.Serving.Shadow;
using Glidepath.Serving.Tracing;

namespace Glidepath.Serving.Tests.Shadow;

public sealed class ShadowSamplingTests
{
    [Fact]
    public void Sampled_RandomTraceIds_ShareMatchesTheRateAndIsIndependentOfOnlineSampling()
    {
        var random = new Random(20);
        var ids = Enumerable.Range(0, 20_000).Select(_ => Convert.ToHexStringLower(RandomBytes(random))).ToList();

        var shadowed = ids.Where(id => ShadowSampling.Sampled(id, 0.1)).ToList();
        var alsoOnline = shadowed.Count(id => TraceSampling.Sampled(id, 0.2)) / (double)shadowed.Count;

        Assert.InRange(shadowed.Count / (double)ids.Count, 0.09, 0.11);
        Assert.InRange(alsoOnline, 0.17, 0.23);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaa00000000ffffffff", 0.01, true)]
    [InlineData("0000000000000000ffffffff00000000", 0.99, false)]
    [InlineData("aaaaaaaaaaaaaaaaffffffffaaaaaaaa", 1.0, true)]
    [InlineData("aaaaaaaaaaaaaaaa00000000aaaaaaaa", 0.0, false)]
    [InlineData("00000000", 1.0, false)]
    public void Sampled_ThirdThirtyTwoBitsAgainstTheRate_DecidesTheSample(string traceId, double rate, bool expected)
    {
        Assert.Equal(expected, ShadowSampling.Sampled(traceId, rate));
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return bytes;
    }
}
