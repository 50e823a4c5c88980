using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// A provider that answers 200 with a body that is JSON but not an answer: an error body (LiteLLM and other
/// OpenAI-compatible proxies report failures that way, Anthropic's <c>{"type": "error"}</c>), or an answer without
/// choices or content. Whatever the path (passed through, translated to the same format, translated to the other), the
/// caller gets a 502 in its own format and the trace agrees with it: a failure of the release (fail closed), of a
/// provider that answered 200.
/// </summary>
public sealed class NotAnAnswerTests
{
    private const string OpenAiPath = "/v1/chat/completions", AnthropicPath = "/v1/messages";

    private static readonly Dictionary<string, (string Provider, string Body, string Said)> Bodies = new()
    {
        ["openai_error"] = ("openai", """{"error":{"message":"quota exceeded for key sk-test-4f9Qz7Xw2Lk8","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""", "quota exceeded"),
        ["openai_no_choices"] = ("openai", """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}""", "no choices"),
        ["openai_no_message"] = ("openai", """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop"}]}""", "no message"),
        ["anthropic_error"] = ("anthropic", """{"type":"error","error":{"type":"api_error","message":"internal failure for sk-test-4f9Qz7Xw2Lk8"}}""", "internal failure"),
        ["anthropic_no_content"] = ("anthropic", """{"id":"msg_1","type":"message","role":"assistant","model":"m","stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":0}}""", "no content"),
    };

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (name, (provider, _, _)) in Bodies)
        {
            var own = provider == "openai" ? OpenAiPath : AnthropicPath;
            var other = provider == "openai" ? AnthropicPath : OpenAiPath;
            data.Add(name, own, true);   // passed through
            data.Add(name, own, false);  // translated, same format
            data.Add(name, other, true); // translated to the other format
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Post_Provider200WithoutAnAnswer_502ProviderErrorInCallersFormat_TraceAgrees(string name, string path, bool passThrough)
    {
        var (provider, answer, said) = Bodies[name];
        await using var upstream = await JunkUpstream.StartAsync(200, "application/json", answer);
        await using var f = await GatewayFixture.CreateAsync(editManifest: provider == "openai" ? y => upstream.Manifest(y, ", api_key_env: OPENAI_API_KEY") : upstream.AnthropicManifest);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });

        using var response = await f.PostAsync(path, path == AnthropicPath ? GatewayFixture.Message() : GatewayFixture.Chat());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var message = WireAssert.ErrorMessage(path, text);
        Assert.Contains(said, message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-4f9Qz7Xw2Lk8", text, StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((502, "provider_error", true), (trace.Status, trace.Error, trace.IsError));
        Assert.Equal(200, trace.UpstreamStatus); // the provider answered, with a 200
        Assert.Contains(said, trace.UpstreamMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-4f9Qz7Xw2Lk8", trace.UpstreamMessage, StringComparison.Ordinal);
        Assert.Equal(1, upstream.Requests);
    }

    // An answer without its finish reason is a 502, but the provider reported (and billed) its usage: every route traces
    // those tokens and their cost, as the pass-through always did (until 2026-12-05 the translating path traced 0 tokens and
    // $0, trial "wire", defect 6).
    [Theory]
    [InlineData("openai", OpenAiPath, true)]
    [InlineData("openai", OpenAiPath, false)]
    [InlineData("openai", AnthropicPath, true)]
    [InlineData("anthropic", AnthropicPath, true)]
    [InlineData("anthropic", AnthropicPath, false)]
    [InlineData("anthropic", OpenAiPath, true)]
    public async Task Post_AnswerWithoutFinishReason_502TracedWithTheProvidersUsageOnEveryRoute(string provider, string path, bool passThrough)
    {
        var answer = provider == "openai"
            ? """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":null}],"usage":{"prompt_tokens":111,"completion_tokens":22,"total_tokens":133}}"""
            : """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Hello"}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":200,"output_tokens":30}}""";
        await using var upstream = await JunkUpstream.StartAsync(200, "application/json", answer);
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => upstream.ManifestFor(provider)(y).Replace("sim-support-1: { input", "stable-model: { input", StringComparison.Ordinal));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });

        using var response = await f.PostAsync(path, path == AnthropicPath ? GatewayFixture.Message() : GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        var (input, output) = provider == "openai" ? (111L, 22L) : (200L, 30L);
        Assert.Equal((502, "provider_error", input, output), (trace.Status, trace.Error, trace.InputTokens, trace.OutputTokens));
        Assert.Equal((double)PriceTable.For(f.Manifest).Cost("stable-model", input, output)!.Value, trace.CostUsd, 9);
    }
}
