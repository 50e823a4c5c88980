using Glidepath.Cli.Tests.Environments;
using Glidepath.Cli.Tests.Support;
using Glidepath.Errors;

namespace Glidepath.Cli.Tests.Store;

/// <summary>
/// A mistyped <c>--store</c>: a command that writes says when it created a new store (and takes it back when it failed
/// before writing to it), the incident commands (freeze,
/// unfreeze, rollback) never act on a store that is not there, and a file that is no database is bad input naming it.
/// </summary>
public sealed class StoreLocationCliTests
{
    [Fact]
    public async Task ReleaseCreate_StoreThatDidNotExist_SaysOnStderrThatItCreatedANewStore()
    {
        await using var app = await EnvApp.CreateAsync(0);
        var store = Path.Combine(app.Dir, "typo", "other.db");

        var first = await CliRunner.RunAsync("release", "create", "--manifest", app.Manifest, "--store", store);
        var second = await CliRunner.RunAsync("release", "create", "--manifest", app.Manifest, "--store", store);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains($"note: created a new store at {store} (none was there", first.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("created a new store", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.DoesNotContain("created a new store", second.Stderr, StringComparison.Ordinal);
    }

    // An operator trial: "note: created a new store at …", then "error: release v1 does not exist", and an empty store
    // (and its folder) left behind.
    [Fact]
    public async Task Deploy_NewStoreAndAReleaseThatDoesNotExist_TakesTheNewStoreAndItsFolderBack()
    {
        await using var app = await EnvApp.CreateAsync(0);
        var folder = Path.Combine(app.Dir, "typo");
        var store = Path.Combine(folder, "deeper", "other.db");

        var result = await CliRunner.RunAsync("deploy", "v1", "--env", "staging", "--manifest", app.Manifest, "--store", store);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains($"note: created a new store at {store} (none was there", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"note: removed the new store at {store} again: the command failed before writing anything to it", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task StoreMigrate_FolderThatDoesNotExist_CreatesTheStoreAndSaysSoNamingTheFolder()
    {
        await using var app = await EnvApp.CreateAsync(0);
        var folder = Path.Combine(app.Dir, "nodir");
        var store = Path.Combine(folder, "x.db");

        var result = await CliRunner.RunAsync("store", "migrate", "--manifest", app.Manifest, "--store", store);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"note: created a new store at {store} (none was there; check --store / GLIDEPATH_STORE if you meant an existing one); its folder {folder} did not exist either and was created", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(store));
    }

    // Trial ciflow #7: a CI cache restored as a 0-byte file was reported as "none was there".
    [Fact]
    public async Task StoreMigrate_EmptyFile_SaysTheEmptyFileWasThere()
    {
        await using var app = await EnvApp.CreateAsync(0);
        var store = Path.Combine(app.Dir, "restored.db");
        await File.WriteAllBytesAsync(store, []);

        var result = await CliRunner.RunAsync("store", "migrate", "--manifest", app.Manifest, "--store", store);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"note: created a new store in {store}, an empty file (0 bytes) until now", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("none was there", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("freeze", "--env", "production", "--reason", "incident")]
    [InlineData("unfreeze", "--env", "production")]
    [InlineData("rollback", "--env", "production")]
    public async Task IncidentCommand_StoreThatDoesNotExist_Exits2AndCreatesNothing(params string[] args)
    {
        await using var app = await EnvApp.CreateAsync(0);
        var store = Path.Combine(app.Dir, "typo.db");

        var result = await CliRunner.RunAsync([.. args, "--manifest", app.Manifest, "--store", store]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains($"no store at {store}", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(store));
    }

    [Fact]
    public async Task Status_StoreThatIsNotADatabase_Exits2NamingThePath()
    {
        await using var app = await EnvApp.CreateAsync(0);
        var before = await File.ReadAllTextAsync(app.Manifest);

        var result = await CliRunner.RunAsync("status", "--manifest", app.Manifest, "--store", app.Manifest);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains($"{app.Manifest} is not a SQLite database", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite Error", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(app.Manifest));
    }

    // From an outside trial: a folder named as the store was exit 3, "The file '…' already exists"; a file that is no
    // database was exit 2. Both are a --store that names no store: exit 2, naming the path and what was expected.
    [Theory]
    [InlineData("release", "create", "-m", "x")]
    [InlineData("status")]
    [InlineData("store", "migrate")]
    public async Task Command_StoreThatIsAFolder_Exits2NamingThePathAndAStoreFile(params string[] args)
    {
        await using var app = await EnvApp.CreateAsync(0);
        var folder = Directory.CreateDirectory(Path.Combine(app.Dir, "stores")).FullName;

        var result = await CliRunner.RunAsync([.. args, "--manifest", app.Manifest, "--store", folder, "--format", "json"]);

        Assert.True(result.ExitCode == ExitCodes.BadInput, $"exit {result.ExitCode}: {result.Stderr}");
        using var doc = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.StartsWith($"{folder} is a folder; expected the path of a store file, e.g. {Path.Combine(folder, "glidepath.db")}",
            doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }
}
