using Glidepath.Errors;
using Glidepath.Evals.Scorers;
using static Glidepath.Tests.Evals.Scorers.ScorerTestKit;

namespace Glidepath.Tests.Evals.Scorers;

public sealed class ScorerRegistryTests
{
    [Fact]
    public void CreateDefault_HoldsTheBuiltInTypesInListOrder()
    {
        var registry = ScorerRegistry.CreateDefault();

        Assert.Equal(BuiltInScorers.All.Select(t => t.Name), registry.Types);
        Assert.All(BuiltInScorers.All, t => Assert.Same(t, registry.Find(t.Name)));
        Assert.Null(registry.Find("polite"));
    }

    [Fact]
    public void Register_ByNameOnly_AcceptsAnyOptionAndRunsOnline()
    {
        var registry = ScorerRegistry.CreateDefault().Register("polite", (_, _) => throw new NotSupportedException());

        var type = registry.Find("polite")!;

        Assert.Null(type.Options);
        Assert.False(type.NeedsReference);
        Assert.Equal("polite", registry.Types.Last());
    }

    [Fact]
    public void Register_ABuiltInName_ReplacesItInPlace()
    {
        var mine = new ScorerType("contains", (_, _) => throw new NotSupportedException());

        var registry = ScorerRegistry.CreateDefault().Register(mine);

        Assert.Same(mine, registry.Find("contains"));
        Assert.Equal(BuiltInScorers.All.Select(t => t.Name), registry.Types);
    }

    [Fact]
    public void Create_UnknownType_IsBadInputAtTheScorersLocation()
    {
        var ex = Assert.Throws<BadInputException>(() =>
            ScorerRegistry.CreateDefault().Create(Spec("polite"), "polite", new ScorerBuildContext { ReadFile = _ => [] }));

        Assert.StartsWith("glidepath.yaml:1:1: unknown scorer type 'polite'; expected one of: exact, contains", ex.Message, StringComparison.Ordinal);
    }
}
