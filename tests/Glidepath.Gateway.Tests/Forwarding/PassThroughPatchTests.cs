using System.Text.Json;
using Glidepath.Errors;
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

    [Theory]
    [InlineData("openai", """{"model":"support-agent","tools":null,"tool_choice":null,"temperature":null,"top_p":null,"seed":null,"max_tokens":null,"max_completion_tokens":null,"stop":null,"stream_options":null,"functions":null,"function_call":null,"parallel_tool_calls":null,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("anthropic", """{"model":"support-agent","tools":null,"tool_choice":null,"temperature":null,"top_p":null,"top_k":null,"max_tokens":null,"stop_sequences":null,"system":null,"messages":[{"role":"user","content":"hi"}]}""")]
    public async Task CallerSendsNullForKeysThePatchWrites_PassedThrough_EachKeyOnceAndNullsLeftOut(string provider, string body)
    {
        var (status, answer, bodies) = await PostAsync(new GatewayUpstream(provider, PassThrough: true), provider == "openai" ? "/v1/chat/completions" : "/v1/messages", body);

        Assert.True(status == 200, answer);
        var sent = Assert.Single(bodies);
        using var doc = JsonDocument.Parse(sent, JsonProblem.Strict); // refuses a key given twice
        var root = doc.RootElement;
        Assert.All(root.EnumerateObject(), p => Assert.NotEqual(JsonValueKind.Null, p.Value.ValueKind));
        Assert.Equal(["lookup_order", "issue_refund", "escalate"], root.GetProperty("tools").EnumerateArray()
            .Select(t => (provider == "openai" ? t.GetProperty("function") : t).GetProperty("name").GetString()));
        Assert.Equal(0.2, root.GetProperty("temperature").GetDouble(), 6);
        Assert.Equal(400, root.GetProperty(provider == "openai" ? "max_completion_tokens" : "max_tokens").GetInt32());
    }

    [Theory]
    [InlineData("/v1/messages", """{"model":"support-agent","max_tokens":50,"system":"","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"support-agent","messages":[{"role":"system","content":""},{"role":"developer","content":[{"type":"text","text":""}]},{"role":"user","content":"hi"}]}""")]
    public async Task CallersSystemTextEmpty_ToAnthropicRelease_NoEmptyTextBlockUpstream(string path, string body)
    {
        // /v1/messages is passed through; /v1/chat/completions is translated to the Anthropic release.
        var (status, answer, bodies) = await PostAsync(GatewayUpstream.AnthropicPassThrough, path, body);

        Assert.True(status == 200, answer);
        using var doc = JsonDocument.Parse(Assert.Single(bodies));
        var system = doc.RootElement.GetProperty("system");
        var texts = system.ValueKind == JsonValueKind.String ? [system.GetString()!] : system.EnumerateArray().Select(b => b.GetProperty("text").GetString()!).ToArray();
        var text = Assert.Single(texts);
        Assert.StartsWith("You are the customer support assistant", text, StringComparison.Ordinal);
    }

    // Anthropic refuses an empty text block anywhere (a 400 the release would be charged for): one rule for the string
    // form ("") and the array form ({"type":"text","text":""}), in system and in messages, on the pass-through path and
    // the translating paths; a message left with nothing is left out, every non-empty text still goes.
    [Theory]
    [InlineData("/v1/messages", true)]
    [InlineData("/v1/messages", false)]
    [InlineData("/v1/chat/completions", true)]
    public async Task CallersEmptyTextBlocks_ToAnthropicRelease_NoEmptyTextUpstreamAndTheRestKept(string path, bool passThrough)
    {
        var body = path == "/v1/messages"
            ? """{"model":"support-agent","max_tokens":50,"system":[{"type":"text","text":""},{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":"first"},{"role":"assistant","content":""},{"role":"assistant","content":[{"type":"text","text":""},{"type":"text","text":"ok"}]},{"role":"user","content":[{"type":"text","text":""}]},{"role":"user","content":[{"type":"text","text":"","cache_control":{"type":"ephemeral"}},{"type":"text","text":"hi"}],"x_keep":1}]}"""
            : """{"model":"support-agent","messages":[{"role":"system","content":[{"type":"text","text":""},{"type":"text","text":"Be brief."}]},{"role":"user","content":"first"},{"role":"assistant","content":[{"type":"text","text":""},{"type":"text","text":"ok"}]},{"role":"user","content":[{"type":"text","text":""}]},{"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"hi"}]}]}""";

        var (status, answer, bodies) = await PostAsync(new GatewayUpstream("anthropic", passThrough), path, body);

        Assert.True(status == 200, answer);
        var sent = Assert.Single(bodies);
        using var doc = JsonDocument.Parse(sent);
        var root = doc.RootElement;
        var system = root.GetProperty("system").EnumerateArray().Select(b => b.GetProperty("text").GetString()).ToArray();
        Assert.Equal(2, system.Length);
        Assert.Equal("Be brief.", system[1]);
        var texts = new List<string>();
        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            var content = message.GetProperty("content");
            Assert.True(content.ValueKind == JsonValueKind.Array ? content.GetArrayLength() > 0 : content.GetString()!.Length > 0, sent);
            texts.AddRange(content.ValueKind == JsonValueKind.String ? [content.GetString()!] : content.EnumerateArray().Select(b => b.GetProperty("text").GetString()!));
        }

        Assert.Equal(["first", "ok", "hi"], texts);
        if (path == "/v1/messages" && passThrough)
        {
            Assert.Contains("\"x_keep\":1", sent, StringComparison.Ordinal); // the rest of a rewritten message is copied as it came
        }
    }

    [Theory]
    [InlineData("openai", ""","functions":[{"name":"lookup_order","description":"CALLER SHADOW","parameters":{"type":"object"}}],"function_call":{"name":"lookup_order"}""", "'functions' (OpenAI's deprecated form)")]
    [InlineData("openai", ""","function_call":"auto" """, "'function_call' (OpenAI's deprecated form)")]
    [InlineData("openai", ""","tools":5""", "'tools' must be an array")]
    [InlineData("anthropic", ""","tools":{"name":"x"}""", "'tools' must be an array")]
    [InlineData("openai", ""","x_extra":"lone \udc00" """, "not valid Unicode")]
    [InlineData("anthropic", ""","x_extra":{"\ud800":"lone high"}""", "not valid Unicode")]
    public async Task RefusedBody_PassThrough_400InCallersFormatAndNothingSent(string provider, string extra, string expected)
    {
        var path = provider == "openai" ? "/v1/chat/completions" : "/v1/messages";
        var body = provider == "openai" ? GatewayFixture.Chat(extra: extra) : GatewayFixture.Message(extra: extra);

        var (status, answer, bodies) = await PostAsync(new GatewayUpstream(provider, PassThrough: true), path, body);

        Assert.Equal(400, status);
        Assert.Contains(expected, WireAssert.ErrorMessage(path, answer), StringComparison.Ordinal);
        Assert.Empty(bodies);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task ValidEscapesInAFieldTheGatewayDoesNotRead_PassThrough_ForwardedAsSent(string provider)
    {
        // A surrogate pair, and a literal backslash before "ud800" (not an escape): valid text, copied byte for byte.
        const string Extra = ""","x_extra":"\ud83d\ude00 \\ud800" """;
        var path = provider == "openai" ? "/v1/chat/completions" : "/v1/messages";
        var body = provider == "openai" ? GatewayFixture.Chat(extra: Extra) : GatewayFixture.Message(extra: Extra);

        var (status, answer, bodies) = await PostAsync(new GatewayUpstream(provider, PassThrough: true), path, body);

        Assert.True(status == 200, answer);
        Assert.Contains(Extra[1..].TrimEnd(), Assert.Single(bodies), StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Answer, string[] Bodies)> PostAsync(GatewayUpstream mode, string path, string body)
    {
        await using var f = await GatewayFixture.CreateAsync(upstream: mode);
        await f.StartAsync();
        using var response = await f.PostAsync(path, body);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), [.. f.Upstream!.Bodies]);
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
