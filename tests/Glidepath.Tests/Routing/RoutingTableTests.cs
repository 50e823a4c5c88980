using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Routing;

namespace Glidepath.Tests.Routing;

public sealed class RoutingTableTests
{
    private static readonly RoutedRelease StableRelease = Release(1, "aaaaaaaa11");
    private static readonly RoutedRelease CanaryRelease = Release(2, "bbbbbbbb22");

    internal static RoutedRelease Release(int version, string id) => new(id, version, new ReleaseSnapshot
    {
        Model = new ModelSpec { Provider = "sim", Name = "m" },
        SystemPromptPath = "p.md",
        SystemPrompt = "hi",
        ToolFiles = [],
        Tools = [],
        Files = new Dictionary<string, byte[]>(),
    });

    private static RoutingTable Table(double weight, bool frozen = false, long revision = 1) => new()
    {
        App = "app",
        Environment = "staging",
        Revision = revision,
        Stable = StableRelease,
        Canary = new CanaryRoute(CanaryRelease, weight, "seed"),
        Frozen = frozen,
        LoadedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Route_SameSubject_SameArmEveryTime()
    {
        var table = Table(50);
        for (var i = 0; i < 200; i++)
        {
            var key = new SubjectKey($"user-{i}", SubjectKey.FromSubjectHeader);
            var first = table.Route(key)!.Value.Arm;
            for (var j = 0; j < 5; j++)
            {
                Assert.Equal(first, table.Route(key)!.Value.Arm);
            }
        }
    }

    [Fact]
    public void Route_CanaryArm_ServesCanaryRelease()
    {
        var table = Table(100);
        var decision = table.Route(new SubjectKey("x", SubjectKey.PerRequest))!.Value;
        Assert.Equal(Arm.Canary, decision.Arm);
        Assert.Same(CanaryRelease, decision.Release);
    }

    [Fact]
    public void Route_Frozen_EveryRequestOnStable()
    {
        var table = Table(100, frozen: true);
        var decision = table.Route(new SubjectKey("x", SubjectKey.PerRequest))!.Value;
        Assert.Equal(Arm.Stable, decision.Arm);
        Assert.Same(StableRelease, decision.Release);
    }

    [Fact]
    public void Route_NoStable_ReturnsNull()
    {
        var table = Table(10) with { Stable = null };
        Assert.Null(table.Route(new SubjectKey("x", SubjectKey.PerRequest)));
    }

    [Fact]
    public void Update_NewerRevision_SwapsAndSignalsChange()
    {
        var source = new RoutingTableSource();
        Assert.True(source.Update(Table(10, revision: 1)));
        var token = source.ChangeToken;
        Assert.True(source.Update(Table(25, revision: 2)));
        Assert.True(token.IsCancellationRequested);
        Assert.Equal(2, source.Current!.Revision);
    }

    [Fact]
    public void Update_OlderRevision_KeepsCurrent()
    {
        var source = new RoutingTableSource();
        source.Update(Table(10, revision: 5));
        Assert.False(source.Update(Table(25, revision: 4)));
        Assert.Equal(5, source.Current!.Revision);
    }
}
