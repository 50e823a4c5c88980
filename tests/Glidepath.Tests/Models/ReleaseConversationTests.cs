using System.Text;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;
using Microsoft.Extensions.AI;

namespace Glidepath.Tests.Models;

public sealed class ReleaseConversationTests
{
    [Fact]
    public void Prepare_Release_SystemPromptFirstThenMessagesWithParametersAndTools()
    {
        var snapshot = Snapshot();
        var (messages, options) = ReleaseConversation.Prepare(snapshot, new Dictionary<string, string> { ["tier"] = "gold" }, [new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal(2, messages.Count);
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.Equal("You help gold customers.", messages[0].Text);
        Assert.Equal("hi", messages[1].Text);
        Assert.Equal("claude-sonnet-4-5", options.ModelId);
        Assert.Equal(0.2f, options.Temperature);
        Assert.Equal(400, options.MaxOutputTokens);
        Assert.Equal(0.9f, options.TopP);
        Assert.Equal(40, options.TopK);
        Assert.Equal(7, options.Seed);
        Assert.Equal(["END"], options.StopSequences!);
        var tool = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(options.Tools!));
        Assert.Equal("lookup_order", tool.Name);
        Assert.Equal("Look up an order.", tool.Description);
        Assert.Equal("string", tool.JsonSchema.GetProperty("properties").GetProperty("order_id").GetProperty("type").GetString());
    }

    [Fact]
    public void Prepare_TwoCalls_OptionsNotShared()
    {
        var snapshot = Snapshot();
        var vars = new Dictionary<string, string> { ["tier"] = "gold" };
        var a = ReleaseConversation.Prepare(snapshot, vars, []);
        var b = ReleaseConversation.Prepare(snapshot, vars, []);
        a.Options.Temperature = 1;
        Assert.Equal(0.2f, b.Options.Temperature);
    }

    [Fact]
    public void Prepare_MissingVar_BadInputNamingItAndThePromptFile()
    {
        var ex = Assert.Throws<BadInputException>(() => ReleaseConversation.Prepare(Snapshot(), new Dictionary<string, string>(), []));
        Assert.Contains("'tier'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("prompts/system.md", ex.Message, StringComparison.Ordinal);
    }

    private static ReleaseSnapshot Snapshot() => new()
    {
        Model = new ModelSpec
        {
            Provider = "anthropic",
            Name = "claude-sonnet-4-5",
            Parameters = new ModelParameters { Temperature = 0.2, MaxTokens = 400, TopP = 0.9, TopK = 40, Seed = 7, Stop = ["END"] },
        },
        SystemPromptPath = "prompts/system.md",
        SystemPrompt = "You help {{tier}} customers.",
        ToolFiles = ["tools/lookup_order.json"],
        Tools = [new ToolDefinition("lookup_order", "Look up an order.", JsonNode.Parse("""{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}""")!.AsObject())],
        Files = new Dictionary<string, byte[]> { ["prompts/system.md"] = Encoding.UTF8.GetBytes("You help {{tier}} customers.") },
    };
}
