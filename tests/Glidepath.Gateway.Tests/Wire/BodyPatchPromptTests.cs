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
