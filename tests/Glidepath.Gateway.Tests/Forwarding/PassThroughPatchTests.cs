using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// The pass-through body patch applies the release by the documented rules, as the translating path does: what the
/// model receives (read back by the upstream with the gateway's own parser) is the same on both paths; fields the
/// gateway does not read reach the provider only on the pass-through path.
/// </summary>
public sealed class PassThroughPatchTests
{
    private const string OpenAiBody = """
        {"model":"support-agent","temperature":1.5,"max_tokens":50,"presence_penalty":0.5,"top_p":0.9,"tool_choice":"auto",
         "messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Where is order A-1?"}],
         "tools":[{"type":"function","function":{"name":"lookup_order","description":"caller's copy","parameters":{"type":"object"}}},
                  {"type":"function","function":{"name":"my_tool","description":"the caller's own","parameters":{"type":"object"}}}]}
        """;

    private const string AnthropicBody = """
        {"model":"support-agent","max_tokens":50,"temperature":1.0,"top_k":5,"system":"Be brief.","metadata":{"user_id":"u-9"},
         "messages":[{"role":"user","content":"Where is order A-1?"}],
         "tools":[{"name":"lookup_order","description":"caller's copy","input_schema":{"type":"object"}},
                  {"name":"my_tool","description":"the caller's own","input_schema":{"type":"object"}}]}
        """;

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task CallersBody_PassedThrough_ModelSeesWhatTheTranslatingPathSends(string provider)
    {
        var (passedMessages, passedOptions, passedBody) = await SendAsync(new GatewayUpstream(provider, PassThrough: true));
        var (translatedMessages, translatedOptions, _) = await SendAsync(new GatewayUpstream(provider, PassThrough: false));

        // The release's rendered prompt first, then the caller's own system text and turns.
        Assert.Equal(Describe(translatedMessages), Describe(passedMessages));
        Assert.StartsWith("You are the customer support assistant", passedMessages[0].Text, StringComparison.Ordinal);
        Assert.Contains("standard tier", passedMessages[0].Text, StringComparison.Ordinal);
        Assert.Contains("Be brief.", string.Join("\n", passedMessages.Where(m => m.Role == ChatRole.System).Select(m => m.Text)), StringComparison.Ordinal);

        // The release's parameters win (temperature 0.2, max_tokens 400); one it leaves unset keeps the caller's.
        Assert.Equal((0.2f, 400), (passedOptions.Temperature, passedOptions.MaxOutputTokens));
        Assert.Equal((translatedOptions.Temperature, translatedOptions.MaxOutputTokens, translatedOptions.TopP, translatedOptions.TopK),
            (passedOptions.Temperature, passedOptions.MaxOutputTokens, passedOptions.TopP, passedOptions.TopK));
        if (provider == "anthropic")
        {
            Assert.Equal(5, passedOptions.TopK); // the caller's: the release sets no top_k
        }

        // The release's tools first; the caller's tool of the same name is dropped, its own kept.
        Assert.Equal(["lookup_order", "issue_refund", "escalate", "my_tool"], passedOptions.Tools!.Select(t => t.Name));
        Assert.Equal(translatedOptions.Tools!.Select(t => t.Name + ":" + t.Description), passedOptions.Tools!.Select(t => t.Name + ":" + t.Description));

        using var doc = JsonDocument.Parse(passedBody);
        Assert.Equal("stable-model", doc.RootElement.GetProperty("model").GetString());
        Assert.True(doc.RootElement.TryGetProperty(provider == "openai" ? "presence_penalty" : "metadata", out _), "a field the gateway does not read is passed through");
    }

    private static async Task<(IReadOnlyList<ChatMessage> Messages, ChatOptions Options, string Body)> SendAsync(GatewayUpstream mode)
    {
        await using var f = await GatewayFixture.CreateAsync(upstream: mode);
        await f.StartAsync();
        var path = mode.Provider == "openai" ? "/v1/chat/completions" : "/v1/messages";
        using var response = await f.PostAsync(path, mode.Provider == "openai" ? OpenAiBody : AnthropicBody);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var model = f.Models.For("stable-model");
        return (model.LastMessages!, model.LastOptions!, f.Upstream!.LastBody!);
    }

    private static string[] Describe(IReadOnlyList<ChatMessage> messages) => [.. messages.Select(m => m.Role.Value + ":" + m.Text)];
}
