using Glidepath.Evals;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

public sealed class SqliteGateVerdictStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    private static GateVerdictRecord Verdict(string id, string candidate, string baseline, string result, DateTimeOffset at) =>
        new(id, "app", candidate, baseline, "d5", result, "judge-1", at, "{\"cases\":3}");

    [Fact]
    public async Task LatestAsync_SeveralVerdicts_ReturnsNewestForThatBaseline()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var verdicts = tmp.Store.GateVerdicts;
        await verdicts.SaveAsync(Verdict("g1", "v3", "v2", "pass", T0), CancellationToken.None);
        await verdicts.SaveAsync(Verdict("g2", "v3", "v2", "blocked", T0.AddMinutes(5)), CancellationToken.None);
        await verdicts.SaveAsync(Verdict("g3", "v3", "v1", "pass", T0.AddMinutes(9)), CancellationToken.None);

        var latest = await verdicts.LatestAsync("app", "v3", "v2", CancellationToken.None);
        Assert.NotNull(latest);
        Assert.Equal("g2", latest.Id);
        Assert.False(latest.Passed);
        Assert.Equal(T0.AddMinutes(5), latest.CreatedAt);
        Assert.Equal("judge-1", latest.JudgeVersion);
        Assert.Null(await verdicts.LatestAsync("app", "v3", "v9", CancellationToken.None));
        Assert.Null(await verdicts.LatestAsync("other", "v3", "v2", CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_Candidate_ReturnsAllNewestFirst()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var verdicts = tmp.Store.GateVerdicts;
        await verdicts.SaveAsync(Verdict("g1", "v3", "v2", "pass", T0), CancellationToken.None);
        await verdicts.SaveAsync(Verdict("g2", "v3", "v1", "error", T0.AddHours(1)), CancellationToken.None);
        await verdicts.SaveAsync(Verdict("g3", "v4", "v3", "pass", T0.AddHours(2)), CancellationToken.None);

        var list = await verdicts.ListAsync("app", "v3", CancellationToken.None);
        Assert.Equal(["g2", "g1"], list.Select(v => v.Id));
    }

    [Fact]
    public async Task SaveAsync_UnknownResult_IsRejected()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await Assert.ThrowsAsync<SqliteException>(() =>
            tmp.Store.GateVerdicts.SaveAsync(Verdict("g1", "v3", "v2", "maybe", T0), CancellationToken.None));
    }

    [Fact]
    public async Task Verdicts_DirectSqlUpdate_IsAborted()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await tmp.Store.GateVerdicts.SaveAsync(Verdict("g1", "v3", "v2", "blocked", T0), CancellationToken.None);
        await using var connection = await tmp.Store.Database.OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE gate_verdicts SET result = 'pass'";
        await Assert.ThrowsAsync<SqliteException>(() => cmd.ExecuteNonQueryAsync());
        Assert.False((await tmp.Store.GateVerdicts.LatestAsync("app", "v3", "v2", CancellationToken.None))!.Passed);
    }
}
