using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

public sealed class ErrorMixTests
{
    private static TraceRecord Error(string? key, int i) => new()
    {
        TraceId = $"t{i:D31}",
        App = "app",
        Environment = "production",
        ReleaseId = "r",
        Arm = Arm.Canary,
        StartedAt = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero),
        Api = "openai",
        Status = 502,
        Error = "provider_error",
        LatencyMs = 10,
        OverheadMs = 1,
        KeyName = key,
    };

    // Trial newcomer4 L7: on a gateway that uses no keys the reason said "(from 1 key)", and a reader looked for a key.
    [Theory]
    [InlineData(new string?[] { null, null }, "(from callers without a key)")]
    [InlineData(new string?[] { "a", "a" }, "(from 1 key)")]
    [InlineData(new string?[] { "a", "b", "b" }, "(from 2 keys)")]
    [InlineData(new string?[] { "a", null }, "(from 1 key and callers without one)")]
    public void Describe_SaysWhichCallersTheErrorsCameFrom(string?[] keys, string expected)
    {
        var mix = ErrorMix.From(keys.Select(Error));

        Assert.Equal($"the canary's errors this step: {keys.Length} provider_error {expected}", mix.Describe("the canary's"));
    }
}
