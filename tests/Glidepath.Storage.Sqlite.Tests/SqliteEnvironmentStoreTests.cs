using Glidepath.Environments;
using Glidepath.Errors;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

public sealed class SqliteEnvironmentStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    private static EnvironmentChange Change(long expected, string kind, string? to, string? from = null, string env = "production") => new()
    {
        App = "app",
        Environment = env,
        ExpectedRevision = expected,
        NewState = new EnvironmentState { App = "app", Name = env, StableReleaseId = to, StableSince = T0.AddMinutes(expected), StableBy = "ana" },
        Event = new EnvironmentEvent
        {
            App = "app",
            Environment = env,
            Revision = 0,
            Kind = kind,
            Actor = "ana",
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
        await using var tmp = await TempSqliteFile.CreateAsync();
        var state = await tmp.Store.Environments.GetAsync("app", "production", CancellationToken.None);
        Assert.Equal(0, state.Revision);
        Assert.Null(state.StableReleaseId);
        Assert.Equal(0, await tmp.Store.Environments.GetRevisionAsync("app", "production", CancellationToken.None));
        Assert.Empty(await tmp.Store.Environments.ListAsync("app", CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_MatchingRevision_WritesStateAndEventAtNextRevision()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var envs = tmp.Store.Environments;
        await envs.ApplyAsync(Change(0, "deploy", "aaa"), CancellationToken.None);
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
        }, CancellationToken.None);

        Assert.Equal(2, after.Revision);
        var read = await envs.GetAsync("app", "production", CancellationToken.None);
        Assert.Equal(2, read.Revision);
        Assert.Equal("bbb", read.StableReleaseId);
        Assert.Equal(T0, read.StableSince);
        Assert.True(read.Frozen);
        Assert.Equal("incident 42", read.FrozenReason);
        Assert.Equal(new CanaryState("ccc", 5.5, "seed-1"), read.Canary);
        Assert.Equal(2, await envs.GetRevisionAsync("app", "production", CancellationToken.None));

        var history = await envs.HistoryAsync("app", "production", CancellationToken.None);
        Assert.Equal([1L, 2L], history.Select(e => e.Revision));
        Assert.Equal("aaa", history[1].FromReleaseId);
        Assert.Equal("bbb", history[1].ToReleaseId);
        Assert.Equal("because 1", history[1].Reason);
        Assert.Equal("{\"n\":1}", history[1].DetailsJson);
        Assert.Equal(T0.AddMinutes(1), history[1].Time);
    }

    [Fact]
    public async Task ApplyAsync_StaleRevision_ThrowsPolicyExceptionAndWritesNothing()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var envs = tmp.Store.Environments;
        await envs.ApplyAsync(Change(0, "deploy", "aaa"), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => envs.ApplyAsync(Change(0, "deploy", "bbb"), CancellationToken.None));
        Assert.Equal("environment 'production' changed since it was read (revision 0, now 1); re-run the command", ex.Message);
        Assert.Equal(FailureKind.Refused, ex.Kind);
        Assert.Equal("aaa", (await envs.GetAsync("app", "production", CancellationToken.None)).StableReleaseId);
        Assert.Single(await envs.HistoryAsync("app", "production", CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_EnvironmentsAreIndependent_EachHasItsOwnRevisions()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var envs = tmp.Store.Environments;
        await envs.ApplyAsync(Change(0, "deploy", "aaa", env: "staging"), CancellationToken.None);
        await envs.ApplyAsync(Change(1, "deploy", "bbb", env: "staging"), CancellationToken.None);
        await envs.ApplyAsync(Change(0, "deploy", "aaa", env: "production"), CancellationToken.None);

        var list = await envs.ListAsync("app", CancellationToken.None);
        Assert.Equal(["production", "staging"], list.Select(s => s.Name));
        Assert.Equal([1L, 2L], list.Select(s => s.Revision));
        Assert.Empty(await envs.ListAsync("other-app", CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentWritersFromOneRevision_ExactlyOneWins()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var envs = tmp.Store.Environments;
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            try
            {
                await envs.ApplyAsync(Change(0, "deploy", $"r{i}"), CancellationToken.None);
                return true;
            }
            catch (PolicyException)
            {
                return false;
            }
        }));

        Assert.Single(results, r => r);
        var history = await envs.HistoryAsync("app", "production", CancellationToken.None);
        Assert.Single(history);
        Assert.Equal(history[0].ToReleaseId, (await envs.GetAsync("app", "production", CancellationToken.None)).StableReleaseId);
    }

    [Theory]
    [InlineData("UPDATE environment_events SET reason = 'rewritten'")]
    [InlineData("DELETE FROM environment_events")]
    public async Task History_DirectSqlUpdateOrDelete_IsAborted(string sql)
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await tmp.Store.Environments.ApplyAsync(Change(0, "deploy", "aaa"), CancellationToken.None);

        await using var connection = await tmp.Store.Database.OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var ex = await Assert.ThrowsAsync<SqliteException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);

        var history = await tmp.Store.Environments.HistoryAsync("app", "production", CancellationToken.None);
        Assert.Equal("because 0", Assert.Single(history).Reason);
    }

    [Fact]
    public void EnvironmentStore_PublicSurface_HasNoUpdateOrDeleteOfHistory()
    {
        var methods = typeof(IEnvironmentStore).GetMethods().Select(m => m.Name).ToList();
        Assert.Equal(["ApplyAsync", "GetAsync", "GetRevisionAsync", "HistoryAsync", "ListAsync"], methods.Order(StringComparer.Ordinal));
    }
}
