using Glidepath.Serving.Tracing;

namespace Glidepath.Serving.Tests.Tracing;

public sealed class TraceSamplingTests
{
    [Fact]
    public void Sampled_RandomTraceIds_ShareMatchesTheRateWithinTwoPoints()
    {
        var random = new Random(14);
        var ids = Enumerable.Range(0, 10_000).Select(_ => Convert.ToHexStringLower(RandomBytes(random))).ToList();

        var share = ids.Count(id => TraceSampling.Sampled(id, 0.2)) / (double)ids.Count;

        Assert.InRange(share, 0.18, 0.22);
    }

    [Fact]
    public void Sampled_IdsThatStartWithTheSameTime_ShareStillMatchesTheRate()
    {
        // The gateway's own ids and AWS X-Ray's begin with a time: requests of one millisecond (or second) share it.
        var at = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 10_000).Select(_ => TraceIds.New(at)).ToList();

        Assert.Single(ids.Select(id => id[..12]).Distinct());
        var share = ids.Count(id => TraceSampling.Sampled(id, 0.2)) / (double)ids.Count;
        Assert.InRange(share, 0.18, 0.22);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa00000000", 0.01, true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaffffffff", 0.99, false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaffffffff", 1.0, true)]
    [InlineData("00000000aaaaaaaaaaaaaaaaffffffff", 0.99, false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa7fffffff", 0.0, false)]
    [InlineData("7fff", 1.0, false)]
    [InlineData("not-hex-at-all-xxxxxxxxxxxxxxxxx", 1.0, false)]
    public void Sampled_LastThirtyTwoBitsAgainstTheRate_DecidesTheSample(string traceId, double rate, bool expected)
    {
        Assert.Equal(expected, TraceSampling.Sampled(traceId, rate));
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return bytes;
    }
}
