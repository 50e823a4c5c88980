using Glidepath.Cli.Tests.Environments;
using Glidepath.Storage;
using Glidepath.Storage.Postgres;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;

namespace Glidepath.Cli.Tests.Store;

/// <summary>
/// <c>glidepath store copy</c>: a SQLite store with releases, history, keys, traces and feedback lands in PostgreSQL
/// with the same ids, numbers, rows and identity, verified table by table; a second copy into it is refused.
/// </summary>
public sealed class StoreCopyCliTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Copy_SqliteStoreToEmptyPostgres_SameRecordsAndIdentity_ThenASecondCopyIsRefused()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var app = await EnvApp.CreateAsync(2);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("deploy", "v2", "--env", "staging");
        await app.OkAsync("rollback", "--env", "staging", "--reason", "copy test");
        await app.OkAsync("keys", "create", "--env", "staging", "--name", "ci");
        await using (var sqlite = await SqliteStore.OpenAsync(app.StorePath, null, default))
        {
            await sqlite.Traces.WriteBatchAsync([Trace("t1", 200), Trace("t2", 502), Trace("t3", 200, online: true)], default);
            Assert.True(await sqlite.Traces.AddFeedbackAsync(new FeedbackRecord("t1", 1, "good", T0), default));
        }

        var copy = await app.JsonAsync("store", "copy", "--to", db.ConnectionString);
        var again = await app.RunAsync("store", "copy", "--to", db.ConnectionString);

        Assert.True(copy.GetProperty("verified").GetBoolean());
        var tables = copy.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("table").GetString()!, t => t.GetProperty("rows").GetInt64());
        Assert.Equal((2L, 3L, 3L, 1L, 1L, 1L), (tables["releases"], tables["environment_events"], tables["traces"], tables["trace_feedback"], tables["api_keys"], tables["store_identity"]));
        Assert.Equal(4, again.Code);
        Assert.Contains("is not empty", again.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("gp-test-only-pw", again.Stderr + copy, StringComparison.Ordinal);
        Assert.Contains("note: --to holds a password, which the process list and the shell history show", again.Stderr, StringComparison.Ordinal); // an outside trial: no word of it

        await using var from = await SqliteStore.OpenAsync(app.StorePath, null, default);
        await using var to = await new StoreProviders().Add(new PostgresStoreProvider()).OpenAsync(db.ConnectionString, create: false, TimeProvider.System, default);
        var (a, b) = (await from.ReadIdentityAsync(default), await to.ReadIdentityAsync(default));
        Assert.Equal((a.StoreId, Convert.ToHexString(a.SubjectKey)), (b.StoreId, Convert.ToHexString(b.SubjectKey)));
        for (var v = 1; v <= 2; v++)
        {
            Assert.Equal((await from.Releases.GetByVersionAsync("support-agent", v, default))!.Id, (await to.Releases.GetByVersionAsync("support-agent", v, default))!.Id);
        }

        Assert.Equal(
            (await from.Environments.HistoryAsync("support-agent", "staging", default)).Select(e => (e.Revision, e.Kind, e.ToReleaseId, e.Time)),
            (await to.Environments.HistoryAsync("support-agent", "staging", default)).Select(e => (e.Revision, e.Kind, e.ToReleaseId, e.Time)));
        Assert.Equal(await from.Environments.GetAsync("support-agent", "staging", default), await to.Environments.GetAsync("support-agent", "staging", default));
        Assert.Equal(await from.Traces.GetAsync("t3", default), await to.Traces.GetAsync("t3", default));
        Assert.Equal(
            (await from.Traces.ArmStatsAsync("support-agent", "staging", T0.AddHours(-1), null, default)).Select(s => (s.Arm, s.Count, s.Errors, s.FeedbackCount)),
            (await to.Traces.ArmStatsAsync("support-agent", "staging", T0.AddHours(-1), null, default)).Select(s => (s.Arm, s.Count, s.Errors, s.FeedbackCount)));
        Assert.Equal((await from.ApiKeys.ListAsync("support-agent", "staging", default)).Select(k => k.KeyHash), (await to.ApiKeys.ListAsync("support-agent", "staging", default)).Select(k => k.KeyHash));
    }

    [Fact]
    public async Task Copy_ToASqliteTarget_BadInput()
    {
        await using var app = await EnvApp.CreateAsync(1);

        var (code, _, stderr) = await app.RunAsync("store", "copy", "--to", Path.Combine(app.Dir, "other.db"));

        Assert.Equal(2, code);
        Assert.Contains("is not a PostgreSQL store", stderr, StringComparison.Ordinal);
    }

    private static TraceRecord Trace(string id, int status, bool online = false) => new()
    {
        TraceId = id, App = "support-agent", Environment = "staging", ReleaseId = "r1", Arm = "stable", SubjectHash = "ab00000000000000",
        StartedAt = T0, Api = "openai", Status = status, LatencyMs = 120.5, OverheadMs = 0.25, InputTokens = 10, OutputTokens = 5, CostUsd = 0.001,
        OnlineScore = online ? 0.75 : null, OnlinePassed = online ? true : null, Stream = online,
    };
}
