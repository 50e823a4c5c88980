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
    [InlineData(new string?[] { "a", "a" }, "(from 1 key; all from key 'a')")]
    [InlineData(new string?[] { "a", "b", "b" }, "(from 2 keys; 2 of them from key 'b')")]
    [InlineData(new string?[] { "a", "b" }, "(from 2 keys)")]
    [InlineData(new string?[] { "a", null }, "(from 1 key and callers without one)")]
    [InlineData(new string?[] { "a", "a", null }, "(from 1 key and callers without one; 2 of them from key 'a')")]
    public void Describe_SaysWhichCallersTheErrorsCameFrom(string?[] keys, string expected)
    {
        var mix = ErrorMix.From(keys.Select(Error));

        Assert.Equal($"the canary's errors this step: {keys.Length} provider_error {expected}", mix.Describe("the canary's"));
    }

    // Outside trial segments M1: a key holding more than half of the errors is named whatever their kind, not only for refusals.
    [Fact]
    public void Describe_OneKeyHoldsMostOfTheServerErrors_NamesItWithItsCount()
    {
        var keys = Enumerable.Repeat("acme2", 205).Concat(Enumerable.Repeat("web", 18)).Concat(Enumerable.Repeat("mobile", 7));
        var mix = ErrorMix.From(keys.Select(Error));

        Assert.Equal("the canary's errors this step: 230 provider_error (from 3 keys; 205 of them from key 'acme2')", mix.Describe("the canary's"));
        var details = new System.Text.Json.Nodes.JsonObject();
        mix.AddTo(details);
        Assert.Equal("""{"canary_errors":{"read":230,"truncated":false,"keys":3,"keyless":0,"top_key":"acme2","top_key_errors":205}}""", details.ToJsonString());
    }
}
