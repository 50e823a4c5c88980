using Glidepath.Cli.StoreCopy;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Errors;
using Glidepath.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Glidepath.Cli.Tests.Store;

/// <summary>
/// A <c>glidepath store copy</c> cut short (an outside trial: kill -9 after the target's schema was made, before the data
/// committed) left a target that passed for an ordinary new, empty store, which a gateway then ran on. Now the target
/// carries the copy's mark until the data commits: every other open refuses it (exit 3, naming the source and the start,
/// no password), running the same copy again finishes it, and a copy that finished leaves no mark.
/// </summary>
public sealed class StoreCopyUnfinishedTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Copy_CutBeforeItsCommit_TargetRefusedByEveryOpen_ThenTheSameCopyFinishesItAndTheMarkIsGone()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var app = await EnvApp.CreateAsync(2);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var stores = new CliEnvironment(TextWriter.Null, TextWriter.Null, IsTerminal: false).Stores;
        OperationalException? whileCopying = null;
        var cut = new StoreCopier(stores)
        {
            // The data is written but not committed: what another process sees now, and what a kill here leaves.
            BeforeCommit = async ct =>
            {
                whileCopying = await Assert.ThrowsAsync<OperationalException>(() => stores.OpenAsync(db.ConnectionString, create: false, TimeProvider.System, ct));
                throw new CopyCut();
            },
        };

        await Assert.ThrowsAsync<CopyCut>(() => cut.CopyAsync(app.StorePath, db.ConnectionString, new FakeTimeProvider(Start), default));
        var status = await RunOnAsync(app, db, "status");
        var deploy = await RunOnAsync(app, db, "deploy", "v2", "--env", "staging");
        var serve = await RunOnAsync(app, db, "serve", "--env", "staging", "--urls", "http://127.0.0.1:0");
        var sdk = await Assert.ThrowsAsync<OperationalException>(() => stores.OpenAsync(db.ConnectionString, create: true, TimeProvider.System, default));

        var refusal = $"is the target of a 'glidepath store copy' that did not finish (started 2026-12-07T10:30:00.0000000Z from {app.StorePath}); run the same 'glidepath store copy' again to finish it, or delete it";
        Assert.Contains(refusal, whileCopying!.Message, StringComparison.Ordinal);
        Assert.Contains(refusal, sdk.Message, StringComparison.Ordinal);
        foreach (var (code, _, stderr) in new[] { status, deploy, serve })
        {
            Assert.Equal(3, code);
            Assert.Contains(refusal, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("gp-test-only-pw", stderr, StringComparison.Ordinal);
        }

        var finish = await app.RunAsync("store", "copy", "--to", db.ConnectionString, "--format", "json");
        var after = await RunOnAsync(app, db, "history", "--env", "staging");

        Assert.True(finish.Code == 0, finish.Stderr);
        Assert.Equal(0L, await MarksAsync(db));
        Assert.True(after.Code == 0, after.Stderr);
        Assert.Contains("deploy", after.Stdout, StringComparison.Ordinal);
        await using var from = await SqliteStore.OpenAsync(app.StorePath, null, default);
        await using var to = await stores.OpenAsync(db.ConnectionString, create: false, TimeProvider.System, default);
        var storeId = (await from.ReadIdentityAsync(default)).StoreId;
        Assert.Equal(storeId, (await to.ReadIdentityAsync(default)).StoreId);
        using var result = System.Text.Json.JsonDocument.Parse(finish.Stdout);
        Assert.Equal(storeId, result.RootElement.GetProperty("store_id").GetString());
    }

    [Fact]
    public async Task Copy_Finished_LeavesNoMark_AndACopyOntoTheFilledStoreIsRefusedWithoutMarkingIt()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var app = await EnvApp.CreateAsync(1);

        var first = await app.RunAsync("store", "copy", "--to", db.ConnectionString);
        var again = await app.RunAsync("store", "copy", "--to", db.ConnectionString);

        Assert.True(first.Code == 0, first.Stderr);
        Assert.Equal(4, again.Code);
        Assert.Contains("is not empty", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await MarksAsync(db));
        Assert.Equal(0, (await RunOnAsync(app, db, "status")).Code);
    }

    [Fact]
    public async Task Copy_WhileAnotherCopyIntoTheSameStoreRuns_RefusedExit4()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var app = await EnvApp.CreateAsync(1);
        var stores = new CliEnvironment(TextWriter.Null, TextWriter.Null, IsTerminal: false).Stores;
        (int Code, string Stdout, string Stderr) second = default;
        // Without the lock the second would find the store empty and marked, as the first did, and fill it; the first's
        // data would then be refused, and a second copy a moment later could mark a store the first had just filled.
        var first = new StoreCopier(stores) { AfterMark = async _ => second = await app.RunAsync("store", "copy", "--to", db.ConnectionString) };

        var result = await first.CopyAsync(app.StorePath, db.ConnectionString, TimeProvider.System, default);

        Assert.Equal(4, second.Code);
        Assert.Contains("another 'glidepath store copy' into postgres://", second.Stderr, StringComparison.Ordinal);
        Assert.Contains(result.Tables, t => t.Table == "releases" && t.Rows == 1);
        Assert.Equal(0L, await MarksAsync(db));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunOnAsync(EnvApp app, TestPostgres db, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--manifest", app.Manifest, "--store", db.ConnectionString], stdout, stderr, isTerminal: false, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<long> MarksAsync(TestPostgres db)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM glidepath.unfinished_copy", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private sealed class CopyCut : Exception;
}
