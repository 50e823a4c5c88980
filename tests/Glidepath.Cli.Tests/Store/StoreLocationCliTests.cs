using Glidepath.Cli.Tests.Environments;
using Glidepath.Cli.Tests.Support;
using Glidepath.Errors;

namespace Glidepath.Cli.Tests.Store;

/// <summary>
/// A mistyped <c>--store</c>: a command that writes says when it created a new store, the incident commands (freeze,
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
