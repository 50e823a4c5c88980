using Glidepath.Cli.Tests.Environments;
using Microsoft.Data.Sqlite;

namespace Glidepath.Cli.Tests.Store;

/// <summary>
/// <c>glidepath store backup FILE</c>. An operator trial: the docs said "back the store up" and never how, and a <c>cp</c>
/// of a live store silently lost a freeze and 39 traces that were still in the <c>-wal</c>.
/// </summary>
public sealed class StoreBackupCliTests
{
    [Fact]
    public async Task Backup_WhileAnotherConnectionHoldsTheStore_CopyHasTheLatestCommitAndNoWal()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");

        // A gateway's connection, open throughout: nothing checkpoints the -wal into the .db file meanwhile.
        await using var live = new SqliteConnection($"Data Source={app.StorePath};Pooling=False");
        await live.OpenAsync();
        await using (var cmd = live.CreateCommand())
        {
            cmd.CommandText = "PRAGMA wal_autocheckpoint = 0";
            await cmd.ExecuteNonQueryAsync();
        }

        await app.OkAsync("freeze", "--env", "staging", "--reason", "freeze before backup");
        var backup = Path.Combine(app.Dir, "backup.db");

        var (code, stdout, stderr) = await app.RunAsync("store", "backup", backup);

        Assert.True(code == 0, stderr);
        Assert.Contains($"Backed up {app.StorePath} to {backup}: store ", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(backup + "-wal"));
        Assert.Contains("freeze before backup", await HistoryAsync(app, backup), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_FileExists_Exit2UntouchedUnlessForce_JsonSaysWhatWasCopied()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var backup = Path.Combine(app.Dir, "backup.db");
        await File.WriteAllTextAsync(backup, "an older backup");

        var refused = await app.RunAsync("store", "backup", backup);
        var json = await app.JsonAsync("store", "backup", backup, "--force");

        Assert.Equal(2, refused.Code);
        Assert.Contains("exists; nothing was written", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(32, json.GetProperty("store_id").GetString()!.Length);
        Assert.True(json.GetProperty("schema_version").GetInt32() >= 24);
        Assert.Equal(new FileInfo(backup).Length, json.GetProperty("bytes").GetInt64());
        Assert.True(json.GetProperty("verified").GetBoolean());
        await using var copy = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        await using var cmd = copy.CreateCommand();
        cmd.CommandText = "SELECT store_id FROM store_identity";
        Assert.Equal(json.GetProperty("store_id").GetString(), (string?)await cmd.ExecuteScalarAsync());
    }

    // The store is kept 0600 (the subject-hashing secret, key and token hashes, captured content); a backup of it is the
    // same content, so it is 0600 too, whatever the umask, and also when --force replaces a file that was readable by all.
    [Fact]
    public async Task Backup_IsOwnerOnly_AlsoWhenForceReplacesAWorldReadableFile()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var fresh = Path.Combine(app.Dir, "fresh.db");
        var replaced = Path.Combine(app.Dir, "replaced.db");
        await File.WriteAllTextAsync(replaced, "an older backup");
        File.SetUnixFileMode(replaced, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await app.OkAsync("store", "backup", fresh);
        await app.OkAsync("store", "backup", replaced, "--force");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fresh));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(replaced));
        Assert.Contains("v1", await HistoryAsync(app, replaced), StringComparison.Ordinal);
    }

    // The store named through a linked folder (/srv/gp -> /data/gp) is still the store: --force does not move the copy
    // over it.
    [Fact]
    public async Task Backup_TheStoreThroughALinkedFolder_Exit2EvenWithForce_TheStoreIsUntouched()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var link = Path.Combine(app.Dir, "linked");
        Directory.CreateSymbolicLink(link, Path.GetDirectoryName(app.StorePath)!);
        var before = await File.ReadAllBytesAsync(app.StorePath);

        var (code, _, stderr) = await app.RunAsync("store", "backup", Path.Combine(link, Path.GetFileName(app.StorePath)), "--force");

        Assert.Equal(2, code);
        Assert.Contains("is the store itself; choose another file", stderr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(app.StorePath));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(app.StorePath)!, "*.partial-*"));
        Assert.Contains("v1", await HistoryAsync(app, app.StorePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_NoStoreThere_Exit2CreatesNothing()
    {
        using var dir = new Glidepath.Testing.TempDir();
        var store = dir.File("none.db");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(["store", "backup", dir.File("b.db"), "--store", store], stdout, stderr, isTerminal: false, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("no store at", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(store));
        Assert.False(File.Exists(dir.File("b.db")));
    }

    [Fact]
    public async Task Backup_PostgresStore_Exit2PointingToPgDump()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(["store", "backup", "b.db", "--store", "postgres://glidepath@127.0.0.1:1/glidepath"], stdout, stderr, isTerminal: false, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("pg_dump", stderr.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> HistoryAsync(EnvApp app, string store)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["history", "--env", "staging", "--manifest", app.Manifest, "--store", store], stdout, stderr, isTerminal: false, CancellationToken.None);
        Assert.True(code == 0, stderr.ToString());
        return stdout.ToString();
    }
}
