using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Shadow;

public sealed class ShadowSectionTests
{
    [Fact]
    public void Parse_PairwiseJudge_ModelRubricAndDrop()
    {
        var (shadow, errors) = Read("pairwise: { model: { provider: anthropic, name: claude-haiku-4-5 }, rubric: evals/rubric.md, max_drop: 0.1 }\n", ShadowSection.Parse);

        Assert.Empty(errors);
        Assert.Equal(("anthropic", "claude-haiku-4-5", "evals/rubric.md", 0.1), (shadow!.Pairwise!.Model.Provider, shadow.Pairwise.Model.Name, shadow.Pairwise.Rubric, shadow.Pairwise.MaxDrop));
    }

    [Fact]
    public void Parse_NoMaxDrop_FivePoints()
    {
        var (shadow, _) = Read("pairwise: { model: { provider: sim, name: judge }, rubric: r.md }\n", ShadowSection.Parse);

        Assert.Equal(0.05, shadow!.Pairwise!.MaxDrop);
    }

    [Fact]
    public void Parse_PairwiseWithoutRubric_ErrorNamesIt()
    {
        var (_, errors) = Read("pairwise: { model: { provider: sim, name: judge } }\n", ShadowSection.Parse);

        Assert.Contains("rubric", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKey_Rejected()
    {
        var (_, errors) = Read("pairwise: { model: { provider: sim, name: judge }, rubric: r.md, tolerance: 1 }\n", ShadowSection.Parse);

        Assert.Contains("tolerance", Assert.Single(errors).Message, StringComparison.Ordinal);
    }
}
