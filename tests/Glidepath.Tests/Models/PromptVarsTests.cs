using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;

namespace Glidepath.Tests.Models;

public sealed class PromptVarsTests
{
    // Trial author D9: the error always cited the sample app's customer_tier, a name another app's prompt does not have.
    [Theory]
    [InlineData("memberlevel")]
    [InlineData("1tier=gold")]
    public void Resolve_MalformedVar_NamesTheRuleNotTheSamplesVariable(string pair)
    {
        using var dir = TempDir.WithSample();
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));

        var ex = Assert.Throws<BadInputException>(() => PromptVars.Resolve(manifest, null, [pair], firstByDefault: false));

        Assert.Equal($"--var {pair}: expected NAME=VALUE, with NAME the name of a template variable ({{{{NAME}}}} in the system prompt: a letter or '_', then letters, digits, '_', '.' or '-')", ex.Message);
        Assert.DoesNotContain("customer_tier", ex.Message, StringComparison.Ordinal);
    }
}
