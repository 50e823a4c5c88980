using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Environments: every change a compare-and-swap on the revision, with one history event per revision.</summary>
public abstract class EnvironmentStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    internal static EnvironmentChange Change(long expected, string kind, string? to, string? from = null, string env = "production", string actor = "ana") => new()
    {
        App = "app",
        Environment = env,
        ExpectedRevision = expected,
        NewState = new EnvironmentState { App = "app", Name = env, StableReleaseId = to, StableSince = T0.AddMinutes(expected), StableBy = actor },
        Event = new EnvironmentEvent
        {
            App = "app",
            Environment = env,
            Revision = 0,
            Kind = kind,
            Actor = actor,
            Reason = $"because {expected}",
            Time = T0.AddMinutes(expected),
            FromReleaseId = from,
            ToReleaseId = to,
            DetailsJson = "{\"n\":1}",
        },
    };

    [Fact]
    public async Task GetAsync_NeverChanged_ReturnsRevisionZeroWithoutStable()
    {
        var state = await Store.Environments.GetAsync("app", "production", None);

        Assert.Equal(("app", "production", 0L), (state.App, state.Name, state.Revision));
        Assert.Null(state.StableReleaseId);
        Assert.Equal(0, await Store.Environments.GetRevisionAsync("app", "production", None));
        Assert.Empty(await Store.Environments.ListAsync("app", None));
        Assert.Empty(await Store.Environments.HistoryAsync("app", "production", None));
    }

    [Fact]
    public async Task ApplyAsync_MatchingRevision_WritesStateAndEventAtNextRevision()
    {
        var envs = Store.Environments;
        await envs.ApplyAsync(Change(0, "deploy", "aaa"), None);
        var after = await envs.ApplyAsync(Change(1, "deploy", "bbb", "aaa") with
        {
            NewState = new EnvironmentState
            {
                App = "app",
                Name = "production",
                StableReleaseId = "bbb",
                StableSince = T0,
                StableBy = "ana",
                Frozen = true,
                FrozenReason = "incident 42",
                Canary = new CanaryState("ccc", 5.5, "seed-1"),
            },
        }, None);

        Assert.Equal(2, after.Revision);
        var read = await envs.GetAsync("app", "production", None);
        Assert.Equal(2, read.Revision);
        Assert.Equal("bbb", read.StableReleaseId);
        Assert.Equal(T0, read.StableSince);
        Assert.True(read.Frozen);
        Assert.Equal("incident 42", read.FrozenReason);
        Assert.Equal(new CanaryState("ccc", 5.5, "seed-1"), read.Canary);
        Assert.Equal(2, await envs.GetRevisionAsync("app", "production", None));

        var history = await envs.HistoryAsync("app", "production", None);
        Assert.Equal([1L, 2L], history.Select(e => e.Revision));
        Assert.Equal("aaa", history[1].FromReleaseId);
        Assert.Equal("bbb", history[1].ToReleaseId);
        Assert.Equal("because 1", history[1].Reason);
        Assert.Equal("{\"n\":1}", history[1].DetailsJson);
        Assert.Equal(T0.AddMinutes(1), history[1].Time);
    }

    [Fact]
    public async Task ApplyAsync_RevisionsAndNamesInTheChange_SetByTheStore()
    {
        var change = Change(0, "deploy", "aaa");
        change = change with
        {
            NewState = change.NewState with { App = "elsewhere", Name = "nowhere", Revision = 41 },
            Event = change.Event with { App = "elsewhere", Environment = "nowhere", Revision = 42 },
        };

        var applied = await Store.Environments.ApplyAsync(change, None);

        Assert.Equal(("app", "production", 1L), (applied.App, applied.Name, applied.Revision));
        var ev = Assert.Single(await Store.Environments.HistoryAsync("app", "production", None));
        Assert.Equal(("app", "production", 1L), (ev.App, ev.Environment, ev.Revision));
        Assert.Empty(await Store.Environments.ListAsync("elsewhere", None));
    }

    [Fact]
    public async Task ApplyAsync_StaleRevision_ThrowsPolicyExceptionAndWritesNothing()
    {
        var envs = Store.Environments;
        await envs.ApplyAsync(Change(0, "deploy", "aaa"), None);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => envs.ApplyAsync(Change(0, "deploy", "bbb"), None));

        Assert.Equal("environment 'production' changed since it was read (revision 0, now 1); re-run the command", ex.Message);
        Assert.Equal(FailureKind.Refused, ex.Kind);
        Assert.Equal("aaa", (await envs.GetAsync("app", "production", None)).StableReleaseId);
        Assert.Single(await envs.HistoryAsync("app", "production", None));
    }

    [Fact]
    public async Task ApplyAsync_AheadOfTheStore_ThrowsPolicyException()
    {
        var ex = await Assert.ThrowsAsync<PolicyException>(() => Store.Environments.ApplyAsync(Change(3, "deploy", "aaa"), None));

        Assert.Contains("(revision 3, now 0)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Store.Environments.GetRevisionAsync("app", "production", None));
    }

    public static TheoryData<string> InvalidChanges => ["negative revision", "no actor", "no kind", "canary weight above 100", "negative canary weight"];

    [Theory]
    [MemberData(nameof(InvalidChanges))]
    public async Task ApplyAsync_InvalidChange_ThrowsArgumentExceptionAndWritesNothing(string what)
    {
        var change = Change(0, "deploy", "aaa");
        change = what switch
        {
            "negative revision" => change with { ExpectedRevision = -1 },
            "no actor" => change with { Event = change.Event with { Actor = " " } },
            "no kind" => change with { Event = change.Event with { Kind = "" } },
            "canary weight above 100" => change with { NewState = change.NewState with { Canary = new CanaryState("ccc", 150, "s") } },
            _ => change with { NewState = change.NewState with { Canary = new CanaryState("ccc", -1, "s") } },
        };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Environments.ApplyAsync(change, None));

        Assert.Equal(0, await Store.Environments.GetRevisionAsync("app", "production", None));
        Assert.Empty(await Store.Environments.HistoryAsync("app", "production", None));
    }

    [Fact]
    public async Task ApplyAsync_EnvironmentsAreIndependent_EachHasItsOwnRevisions()
    {
        var envs = Store.Environments;
        await envs.ApplyAsync(Change(0, "deploy", "aaa", env: "staging"), None);
        await envs.ApplyAsync(Change(1, "deploy", "bbb", env: "staging"), None);
        await envs.ApplyAsync(Change(0, "deploy", "aaa", env: "production"), None);

        var list = await envs.ListAsync("app", None);

        Assert.Equal(["production", "staging"], list.Select(s => s.Name));
        Assert.Equal([1L, 2L], list.Select(s => s.Revision));
        Assert.Empty(await envs.ListAsync("other-app", None));
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentWritersFromOneRevision_ExactlyOneWins()
    {
        var envs = Store.Environments;
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await envs.ApplyAsync(Change(0, "deploy", $"r{i}"), None);
                return true;
            }
            catch (PolicyException)
            {
                return false;
            }
        })));

        Assert.Single(results, r => r);
        var history = await envs.HistoryAsync("app", "production", None);
        Assert.Single(history);
        Assert.Equal(history[0].ToReleaseId, (await envs.GetAsync("app", "production", None)).StableReleaseId);
    }

    [Fact]
    public async Task ApplyAsync_AnotherHandle_SeesTheChangeAndIsRefusedWhenStale()
    {
        var other = await Factory.OpenAgainAsync(Store);
        await Store.Environments.ApplyAsync(Change(0, "deploy", "aaa"), None);

        Assert.Equal("aaa", (await other.Environments.GetAsync("app", "production", None)).StableReleaseId);
        await Assert.ThrowsAsync<PolicyException>(() => other.Environments.ApplyAsync(Change(0, "deploy", "bbb"), None));
    }
}
