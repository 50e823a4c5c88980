using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;
using Microsoft.Extensions.AI;

namespace Glidepath.Tests.Models;

public sealed class ReleaseApplierTests
{
    [Fact]
    public void Apply_CallerOptions_ReleaseParametersWinAndCallerFillsTheRest()
    {
        var applier = new ReleaseApplier(Snapshot(new ModelParameters { Temperature = 0.2 }));
        var caller = new ChatOptions { Temperature = 0.9f, MaxOutputTokens = 50, TopP = 0.5f, StopSequences = ["STOP"], ToolMode = ChatToolMode.RequireAny };

        var (messages, options) = applier.Apply("system", [new ChatMessage(ChatRole.User, "hi")], caller);

        Assert.Equal(["system", "hi"], messages.Select(m => m.Text));
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.Equal(("sim-1", 0.2f, 50, 0.5f), (options.ModelId, options.Temperature, options.MaxOutputTokens, options.TopP));
        Assert.Equal(["STOP"], options.StopSequences!);
        Assert.Equal(ChatToolMode.RequireAny, options.ToolMode);
    }

    [Fact]
    public void Apply_CallerToolOfTheSameName_ReleaseToolKeptCallerCopyDroppedOthersAppended()
    {
        var applier = new ReleaseApplier(Snapshot(new ModelParameters()));
        var caller = new ChatOptions { Tools = [Declaration("lookup_order"), Declaration("weather")] };

        var (_, options) = applier.Apply("system", [], caller);

        Assert.Equal(["lookup_order", "weather"], options.Tools!.Select(t => t.Name));
        Assert.Same(applier.Tools[0], options.Tools![0]);
    }

    [Fact]
    public void Apply_TwoCalls_FreshOptionsEachTime_ToolsSharedReadOnly()
    {
        var applier = new ReleaseApplier(Snapshot(new ModelParameters { Temperature = 0.2 }));

        var (_, a) = applier.Apply("system", []);
        var (_, b) = applier.Apply("system", []);
        a.Temperature = 1;

        // The release's tools are one read-only list: a client cannot change another call's tools by changing its own.
        Assert.True(a.Tools!.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => a.Tools.Clear());
        Assert.Equal(0.2f, b.Temperature);
        Assert.Single(b.Tools!);
        Assert.Null(b.ToolMode);
    }

    [Fact]
    public void Apply_CallerTools_AFreshListOfTheReleasesThenTheCallers()
    {
        var applier = new ReleaseApplier(Snapshot(new ModelParameters()));
        var own = AIFunctionFactory.CreateDeclaration("callers_tool", "the caller's", System.Text.Json.JsonDocument.Parse("{}").RootElement);

        var (_, options) = applier.Apply("system", [], new ChatOptions { Tools = [own] });

        Assert.False(options.Tools!.IsReadOnly);
        Assert.Equal(2, options.Tools.Count);
        Assert.Same(own, options.Tools[1]);
        Assert.Single(applier.Tools);
    }

    [Fact]
    public void TryRenderSystemPrompt_VariableUnset_FalseNamingItAndThePromptFile()
    {
        var applier = new ReleaseApplier(Snapshot(new ModelParameters()));

        Assert.False(applier.TryRenderSystemPrompt(new Dictionary<string, string>(), out _, out var error));
        Assert.Contains("'tier'", error, StringComparison.Ordinal);
        Assert.Contains("prompts/system.md", error, StringComparison.Ordinal);
        Assert.True(applier.TryRenderSystemPrompt(new Dictionary<string, string> { ["tier"] = "gold" }, out var prompt, out _));
        Assert.Equal("You help gold customers.", prompt);
    }

    private static AIFunctionDeclaration Declaration(string name)
    {
        using var schema = JsonDocument.Parse("""{"type":"object"}""");
        return AIFunctionFactory.CreateDeclaration(name, "caller's", schema.RootElement.Clone());
    }

    private static ReleaseSnapshot Snapshot(ModelParameters parameters) => new()
    {
        Model = new ModelSpec { Provider = "sim", Name = "sim-1", Parameters = parameters },
        SystemPromptPath = "prompts/system.md",
        SystemPrompt = "You help {{tier}} customers.",
        ToolFiles = ["tools/lookup_order.json"],
        Tools = [new ToolDefinition("lookup_order", "Look up an order.", JsonNode.Parse("""{"type":"object","properties":{"order_id":{"type":"string"}}}""")!.AsObject())],
        Files = new Dictionary<string, byte[]> { ["prompts/system.md"] = Encoding.UTF8.GetBytes("You help {{tier}} customers.") },
    };
}
