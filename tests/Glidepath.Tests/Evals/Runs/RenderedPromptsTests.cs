using Glidepath.Errors;
using Glidepath.Evals.Runs;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>A release's system prompt rendered once per set of variable values and shared by the calls that use it.</summary>
public sealed class RenderedPromptsTests
{
    private static RenderedPrompts Prompts(string template) => new(new ReleaseApplier(new ReleaseSnapshot
    {
        Model = new ModelSpec { Provider = "sim", Name = "sim-1" },
        SystemPromptPath = "prompts/system.md",
        SystemPrompt = template,
        ToolFiles = [],
        Tools = [],
        Files = new Dictionary<string, byte[]>(),
    }));

    [Fact]
    public void For_ValuesThatWouldRunTogether_EachRendersItsOwnPrompt()
    {
        var prompts = Prompts("[{{a}}|{{b}}]");

        var first = prompts.For(new Dictionary<string, string> { ["a"] = "1:x", ["b"] = "" }).Text;
        var second = prompts.For(new Dictionary<string, string> { ["a"] = "1", ["b"] = "x" }).Text;
        var again = prompts.For(new Dictionary<string, string> { ["a"] = "1:x", ["b"] = "", ["unused"] = "z" }).Text;

        Assert.Equal(("[1:x|]", "[1|x]", "[1:x|]"), (first, second, again));
    }

    [Fact]
    public void For_AVariableUnset_ThrowsNamingIt()
    {
        var prompts = Prompts("You help {{tier}} customers.");

        var ex = Assert.Throws<BadInputException>(() => prompts.For(new Dictionary<string, string>()));

        Assert.Contains("'tier'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_NoVariables_TheTemplateAsItIs()
    {
        Assert.Equal("Be brief.", Prompts("Be brief.").For(new Dictionary<string, string> { ["x"] = "y" }).Text);
    }
}
