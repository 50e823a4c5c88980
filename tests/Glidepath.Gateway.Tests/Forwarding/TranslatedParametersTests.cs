using System.Text.Json.Nodes;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// What a caller in one format asks of a release on the other provider reaches that provider in its own terms, read from
/// the body the upstream received: a temperature in OpenAI's range but above Anthropic's is clamped, a limit of one tool
/// call per turn is kept both ways, and tool schemas go as written (an open one stays open).
/// </summary>
public sealed class TranslatedParametersTests
{
    private const string Chat = "/v1/chat/completions", Messages = "/v1/messages";
    private const string SampleParameters = "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAiCaller_TemperatureAboveAnthropicsRange_SentAsOne(bool stream)
    {
        var body = await SendAsync("anthropic", Chat, $$""","temperature":1.5,"top_p":0.9{{Stream(stream)}}""", "parameters: { max_tokens: 400 }");

        Assert.Equal(1.0, body["temperature"]!.GetValue<double>());
        Assert.Equal(0.9, body["top_p"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task OpenAiCaller_TemperatureWithinAnthropicsRange_SentAsGiven()
    {
        var body = await SendAsync("anthropic", Chat, ""","temperature":0.7""", "parameters: { max_tokens: 400 }");

        Assert.Equal(0.7, body["temperature"]!.GetValue<double>(), 6);
    }

    [Theory]
    [InlineData(null, "auto", false)]
    [InlineData(null, "auto", true)]
    [InlineData("\"required\"", "any", false)]
    [InlineData("\"required\"", "any", true)]
    [InlineData("{\"type\":\"function\",\"function\":{\"name\":\"lookup_order\"}}", "tool", false)]
    public async Task OpenAiCaller_ParallelToolCallsFalse_AnthropicGetsDisableParallelToolUse(string? toolChoice, string expectedType, bool stream)
    {
        var choice = toolChoice is null ? "" : $$""","tool_choice":{{toolChoice}}""";
        var body = await SendAsync("anthropic", Chat, $$""","parallel_tool_calls":false{{choice}}{{Stream(stream)}}""");

        var sent = body["tool_choice"]!.AsObject();
        Assert.Equal(expectedType, sent["type"]!.GetValue<string>());
        Assert.True(sent["disable_parallel_tool_use"]!.GetValue<bool>(), body.ToJsonString());
    }

    [Fact]
    public async Task OpenAiCaller_ParallelToolCallsUnset_AnthropicGetsNoToolChoiceAdded()
    {
        var body = await SendAsync("anthropic", Chat, "");

        Assert.False(body.ContainsKey("tool_choice"), body.ToJsonString());
    }

    [Theory]
    [InlineData("any", "\"required\"", false)]
    [InlineData("any", "\"required\"", true)]
    [InlineData("auto", "\"auto\"", false)]
    public async Task AnthropicCaller_DisableParallelToolUse_OpenAiGetsParallelToolCallsFalse(string type, string expectedChoice, bool stream)
    {
        var body = await SendAsync("openai", Messages, $$""","tool_choice":{"type":"{{type}}","disable_parallel_tool_use":true}{{Stream(stream)}}""");

        Assert.False(body["parallel_tool_calls"]!.GetValue<bool>(), body.ToJsonString());
        Assert.Equal(expectedChoice, body["tool_choice"]!.ToJsonString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnthropicCaller_OpenToolSchema_OpenAiGetsItOpen(bool stream)
    {
        var tools = ""","tools":[{"name":"my_tool","description":"d","input_schema":{"type":"object"}},{"name":"closed_tool","input_schema":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}}]""";
        var body = await SendAsync("openai", Messages, tools + Stream(stream));

        var sent = body["tools"]!.AsArray().Select(t => t!["function"]!).ToDictionary(t => t["name"]!.GetValue<string>(), t => t["parameters"]!.AsObject());
        Assert.True(sent["my_tool"]["additionalProperties"]!.GetValue<bool>(), body.ToJsonString());
        Assert.Empty(sent["my_tool"]["required"]?.AsArray() ?? []);
        Assert.False(sent["closed_tool"]["additionalProperties"]!.GetValue<bool>(), "a schema that closes itself stays closed");
        Assert.True(sent.ContainsKey("lookup_order"), "the release's tool comes too");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAiCaller_ToolSchemas_AnthropicGetsThemAsWritten(bool stream)
    {
        const string open = """{"type":"object","properties":{}}""";
        const string annotated = """{"type":"object","properties":{"when":{"type":"string","format":"date-time","minLength":3}},"required":["when"]}""";
        var tools = $$$""","tools":[{"type":"function","function":{"name":"my_tool","parameters":{{{open}}}}},{"type":"function","function":{"name":"dated_tool","parameters":{{{annotated}}}}}]""";
        var (body, release) = await SendToReleaseAsync("anthropic", Chat, tools + Stream(stream));

        var sent = body["tools"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["input_schema"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(open), sent["my_tool"]), sent["my_tool"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(annotated), sent["dated_tool"]), sent["dated_tool"]!.ToJsonString());
        Assert.NotEmpty(release.Tools);
        foreach (var tool in release.Tools)
        {
            Assert.True(JsonNode.DeepEquals(tool.InputSchema, sent[tool.Name]), $"the release's {tool.Name}: {sent[tool.Name]!.ToJsonString()}");
        }
    }

    private static string Stream(bool stream) => stream ? ""","stream":true""" : "";

    /// <summary>Sends a request on <paramref name="path"/> with <paramref name="callerFields"/> to a gateway whose release is on
    /// <paramref name="provider"/> at a scripted upstream (the other format: the translating path); returns the body the upstream received.</summary>
    private static async Task<JsonObject> SendAsync(string provider, string path, string callerFields, string? releaseParameters = null) =>
        (await SendToReleaseAsync(provider, path, callerFields, releaseParameters)).Body;

    /// <summary>As <see cref="SendAsync"/>, with the release that answered (v1, on "stable-model").</summary>
    private static async Task<(JsonObject Body, Glidepath.Releases.ReleaseSnapshot Release)> SendToReleaseAsync(string provider, string path, string callerFields, string? releaseParameters = null)
    {
        await using var f = await GatewayFixture.CreateAsync(
            editManifest: y =>
            {
                Assert.Contains(SampleParameters, y, StringComparison.Ordinal);
                return releaseParameters is null ? y : y.Replace(SampleParameters, releaseParameters, StringComparison.Ordinal);
            },
            upstream: new GatewayUpstream(provider, PassThrough: true));
        await f.StartAsync();

        using var response = await f.PostAsync(path, path == Messages ? GatewayFixture.Message(extra: callerFields) : GatewayFixture.Chat(extra: callerFields));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = JsonNode.Parse(Assert.Single(f.Upstream!.Bodies))!.AsObject();
        Assert.Equal("stable-model", body["model"]!.GetValue<string>());
        return (body, f.V1.Snapshot());
    }
}
