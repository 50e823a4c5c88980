using Glidepath.Errors;
using Glidepath.Models;

namespace Glidepath.Tests.Models;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Render_AllVarsGiven_ReplacesEveryPlaceholderIncludingSpacedOnes()
    {
        var text = PromptTemplate.Render("Hello {{name}}, tier {{ tier }}; again {{name}}.", new Dictionary<string, string> { ["name"] = "Ada", ["tier"] = "gold" });
        Assert.Equal("Hello Ada, tier gold; again Ada.", text);
    }

    [Fact]
    public void Render_MissingVar_BadInputNamingVarAndSource()
    {
        var ex = Assert.Throws<BadInputException>(() =>
            PromptTemplate.Render("Tier {{customer_tier}} at {{kb_url}}", new Dictionary<string, string> { ["kb_url"] = "x" }, "prompts/system.md"));
        Assert.Contains("'customer_tier'", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("prompts/system.md:", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kb_url'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.BadInput, ex.Kind);
    }

    [Fact]
    public void Render_ValueContainsBraces_NotRenderedAgain()
    {
        var text = PromptTemplate.Render("{{a}}", new Dictionary<string, string> { ["a"] = "{{b}}" });
        Assert.Equal("{{b}}", text);
    }

    [Fact]
    public void Variables_Template_DistinctInOrder()
    {
        Assert.Equal(["b", "a"], PromptTemplate.Variables("{{b}} {{a}} {{ b }} { {not} }"));
    }
}
