using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Gateway.Wire;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;

namespace Glidepath.Gateway.Tests.Wire;

/// <summary>The patch keeps the last prompt's escaped JSON: what it writes must be exactly what escaping each time writes.</summary>
public sealed class BodyPatchPromptTests
{
    private const string Body = """{"model":"support-agent","messages":[{"role":"user","content":"hi"}]}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_PromptsAlternating_EachBodyCarriesItsOwnPromptExactly(bool anthropic)
    {
        var patch = ReleasePatch.For(new ReleaseApplier(Snapshot()), anthropic);
        string[] prompts = ["Line one.\nSay \"hello\" to the gold tier \u00e9\u2603 <b>&</b>\t\\end", "Line one.\nSay \"hello\" to the standard tier", "Plain"];

        foreach (var prompt in prompts.Concat(prompts).Append(prompts[0]).Append(prompts[0]))
        {
            var output = new ArrayBufferWriter<byte>();
            BodyPatch.Write(Encoding.UTF8.GetBytes(Body), patch, prompt, stream: false, output);

            var json = JsonNode.Parse(output.WrittenSpan)!;
            var written = anthropic ? json["system"]![0]!["text"]!.GetValue<string>() : json["messages"]![0]!["content"]!.GetValue<string>();
            Assert.Equal(prompt, written);
        }
    }

    [Theory]
    [InlineData(false, """{"model":"support-agent","service_tier":"priority","store":true,"modalities":["text","audio"],"audio":{"voice":"alloy","format":"mp3"},"prediction":{"type":"content","content":"x"},"web_search_options":{},"response_format":{"type":"json_object"},"user":"u1","messages":[{"role":"user","content":"hi"}]}""", "service_tier,store,modalities,audio,prediction,web_search_options", "response_format,user")]
    [InlineData(true, """{"model":"support-agent","max_tokens":10,"service_tier":"auto","mcp_servers":[{"type":"url","url":"https://evil.example/mcp","name":"x"}],"container":"c1","metadata":{"user_id":"u1"},"messages":[{"role":"user","content":"hi"}]}""", "service_tier,mcp_servers,container", "metadata")]
    public void Write_CostAndRetentionFields_Dropped_OthersKept(bool anthropic, string body, string dropped, string kept)
    {
        var patch = ReleasePatch.For(new ReleaseApplier(Snapshot()), anthropic);
        var output = new ArrayBufferWriter<byte>();

        BodyPatch.Write(Encoding.UTF8.GetBytes(body), patch, "Plain", stream: false, output);

        var json = JsonNode.Parse(output.WrittenSpan)!.AsObject();
        Assert.All(dropped.Split(','), name => Assert.False(json.ContainsKey(name), name));
        Assert.All(kept.Split(','), name => Assert.True(json.ContainsKey(name), name));
    }

    private static ReleaseSnapshot Snapshot() => new()
    {
        Model = new ModelSpec { Provider = "openai", Name = "gpt-test", Parameters = new ModelParameters() },
        SystemPromptPath = "prompts/system.md",
        SystemPrompt = "You help {{tier}} customers.",
        ToolFiles = [],
        Tools = [],
        Files = new Dictionary<string, byte[]> { ["prompts/system.md"] = Encoding.UTF8.GetBytes("You help {{tier}} customers.") },
    };
}
