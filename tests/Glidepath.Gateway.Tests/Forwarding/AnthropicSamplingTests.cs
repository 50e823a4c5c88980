using System.Text.Json.Nodes;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// An Anthropic release's provider receives temperature, top_p, top_k and stop sequences by the documented rule (a
/// parameter the release sets wins; one it leaves unset keeps the caller's; neither: none sent) on the pass-through path
/// and on the translating one (the official SDK's chat client) alike, read from the body the upstream received.
/// </summary>
public sealed class AnthropicSamplingTests
{
    private const string SampleParameters = "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReleaseSetsTemperature_CallerSetsTopPAndTopK_UpstreamGetsReleasesTemperatureAndCallersRest(bool passThrough)
    {
        var body = await SendAsync(passThrough, SampleParameters, ""","temperature":1.0,"top_p":0.9,"top_k":5""");

        Assert.Equal(0.2, body["temperature"]!.GetValue<double>(), 6);
        Assert.Equal(0.9, body["top_p"]!.GetValue<double>(), 6);
        Assert.Equal(5, body["top_k"]!.GetValue<int>());
        Assert.Equal(400, body["max_tokens"]!.GetValue<int>());
        Assert.False(body.ContainsKey("seed"), "the Messages API has no seed");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReleaseSetsAll_CallerSetsAll_UpstreamGetsTheReleases(bool passThrough)
    {
        var body = await SendAsync(passThrough, "parameters: { temperature: 0, top_p: 0.5, top_k: 40, max_tokens: 400, stop: [END] }",
            ""","temperature":1.0,"top_p":0.9,"top_k":5,"stop_sequences":["STOP"]""");

        Assert.Equal(0, body["temperature"]!.GetValue<double>());
        Assert.Equal(0.5, body["top_p"]!.GetValue<double>(), 6);
        Assert.Equal(40, body["top_k"]!.GetValue<int>());
        Assert.Equal(["END"], body["stop_sequences"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NeitherSetsThem_UpstreamGetsNone(bool passThrough)
    {
        var body = await SendAsync(passThrough, "parameters: { max_tokens: 400 }", "");

        foreach (var field in new[] { "temperature", "top_p", "top_k", "stop_sequences" })
        {
            Assert.False(body.ContainsKey(field), $"'{field}' was sent though neither the release nor the caller set it: {body.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NeitherSetsMaxTokens_CallerSendsNull_UpstreamGetsTheDefault1024(bool passThrough)
    {
        var body = await SendAsync(passThrough, "parameters: { temperature: 0.2 }", "", "\"max_tokens\":null");

        Assert.Equal(1024, body["max_tokens"]!.GetValue<int>());
    }

    /// <summary>Sends an Anthropic Messages request with <paramref name="callerFields"/> to a gateway whose release (on
    /// Anthropic, at a scripted upstream) has <paramref name="releaseParameters"/>; returns the body the upstream received.</summary>
    /// <param name="maxTokens">The caller's <c>max_tokens</c> field as written in the body.</param>
    private static async Task<JsonObject> SendAsync(bool passThrough, string releaseParameters, string callerFields, string maxTokens = "\"max_tokens\":100")
    {
        await using var f = await GatewayFixture.CreateAsync(
            editManifest: y =>
            {
                Assert.Contains(SampleParameters, y, StringComparison.Ordinal);
                return y.Replace(SampleParameters, releaseParameters, StringComparison.Ordinal);
            },
            upstream: passThrough ? GatewayUpstream.AnthropicPassThrough : GatewayUpstream.AnthropicTranslating);
        await f.StartAsync();

        using var response = await f.PostAsync("/v1/messages", GatewayFixture.Message(extra: callerFields).Replace("\"max_tokens\":100", maxTokens, StringComparison.Ordinal));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = JsonNode.Parse(Assert.Single(f.Upstream!.Bodies))!.AsObject();
        Assert.Equal("stable-model", body["model"]!.GetValue<string>());
        return body;
    }
}
