using System.Diagnostics;
using System.Text;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Controller;

/// <summary><c>glidepath controller</c>: bad input is exit 2 before anything runs; SIGTERM stops it cleanly with exit 0.</summary>
public sealed class ControllerCliTests
{
    [Fact]
    public async Task Controller_UnknownEnvironment_Exit2NamingTheDeclaredOnes()
    {
        using var dir = TempDir.WithSample();

        var result = await CliRunner.RunAsync("controller", "--env", "prod", "--manifest", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown environment 'prod'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("staging, production", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--interval", "10ms")]
    [InlineData("--interval", "soon")]
    [InlineData("--monitor-interval", "-1m")]
    [InlineData("--monitor-window", "2d")]
    [InlineData("--monitor-window", "90s")]
    [InlineData("--monitor-reference", "month")]
    public async Task Controller_BadInterval_Exit2(string option, string value)
    {
        using var dir = TempDir.WithSample();

        var result = await CliRunner.RunAsync("controller", "--env", "staging", option, value, "--manifest", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controller_NoStore_Exit2AndCreatesNone()
    {
        using var dir = TempDir.WithSample();
        var store = Path.Combine(dir.Path, "nowhere", "g.db");

        var result = await CliRunner.RunAsync("controller", "--env", "staging", "--manifest", dir.Path, "--store", store);

        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(store));
    }

    [Fact]
    public async Task Controller_SigTerm_StopsCleanlyWithExit0()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no SIGTERM
        }

        using var dir = TempDir.WithSample();
        var store = Path.Combine(dir.Path, ".glidepath", "g.db");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--store", store)).ExitCode);
        var (controller, stderr, stdout) = Start("controller", "--env", "staging", "--interval", "100ms", "--manifest", dir.Path, "--store", store);
        using var process = controller;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!Text(stderr).Contains("Rollout controller of support-agent@staging started", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline && !controller.HasExited, "the controller did not start: " + Text(stderr));
                await Task.Delay(50);
            }

            using (var kill = Process.Start("kill", ["-TERM", controller.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await controller.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!controller.HasExited)
            {
                controller.Kill(entireProcessTree: true);
            }
        }

        await stdout;
        Assert.Equal(0, controller.ExitCode);
        Assert.Contains("Stopping: finishing the current pass and giving up the lease.", Text(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controller_AnotherProcessHoldsTheLease_SaysStandbyNamingTheHolderNotControlling()
    {
        await using var app = await Rollouts.RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await using (var store = await Storage.Sqlite.SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None))
        {
            Assert.True(await store.Rollouts.TryAcquireLeaseAsync("support-agent", "production", "gw-a", TimeSpan.FromMinutes(10), DateTimeOffset.UtcNow, CancellationToken.None));
        }

        var (controller, stderr, stdout) = Start("controller", "--env", "production", "--interval", "100ms", "--monitor-interval", "0", "--manifest", app.Manifest, "--store", app.StorePath);
        using var process = controller;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!Text(stderr).Contains("On standby for support-agent@production: gw-a holds the lease", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline && !controller.HasExited, "the controller did not report standby: " + Text(stderr));
                await Task.Delay(50);
            }
        }
        finally
        {
            controller.Kill(entireProcessTree: true);
            await controller.WaitForExitAsync();
        }

        await stdout;
        Assert.DoesNotContain("Controlling", Text(stderr), StringComparison.Ordinal);
    }

    // A trial: `rm glidepath.db*` under a running controller; it logged nothing and kept the unlinked files open, and its
    // lease and any decision would have gone into a file nobody reads.
    [Fact]
    public async Task Controller_StoreFileDeleted_WarnsAndHoldsNoWritableHandleOnTheDeletedFile()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc
        }

        await using var app = await Rollouts.RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        var (controller, stderr, stdout) = Start("controller", "--env", "production", "--interval", "100ms", "--monitor-interval", "0", "--manifest", app.Manifest, "--store", app.StorePath);
        using var process = controller;
        try
        {
            await UntilAsync(controller, stderr, "Controlling the rollout");
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(app.StorePath + suffix);
            }

            await UntilAsync(controller, stderr, $"the store file {app.StorePath} is gone (deleted or moved)");

            Assert.Empty(WritableDeleted(controller.Id, app.StorePath));
            Assert.False(File.Exists(app.StorePath));
        }
        finally
        {
            controller.Kill(entireProcessTree: true);
            await controller.WaitForExitAsync();
        }

        await stdout;
    }

    // Stop 53's leftover: on a store a newer glidepath migrated, `glidepath controller` logged the gateway's line, "it goes
    // on serving meanwhile", from a process that serves nothing.
    [Fact]
    public async Task Controller_StoreMigratedByANewerGlidepath_SaysItHoldsAndNotThatItServes()
    {
        await using var app = await Rollouts.RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        var (controller, stderr, stdout) = Start("controller", "--env", "production", "--interval", "100ms", "--monitor-interval", "0", "--manifest", app.Manifest, "--store", app.StorePath);
        using var process = controller;
        try
        {
            // A binary refuses to open a store newer than it at start; this is a store migrated under a running one.
            await UntilAsync(controller, stderr, "Controlling the rollout");
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.StorePath};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) SELECT MAX(version) + 1, 'from_a_newer_glidepath', '2027-01-01T00:00:00Z' FROM schema_migrations";
                await command.ExecuteNonQueryAsync();
            }

            await UntilAsync(controller, stderr, "by a newer glidepath");
        }
        finally
        {
            controller.Kill(entireProcessTree: true);
            await controller.WaitForExitAsync();
        }

        await stdout;
        var line = Text(stderr).Split('\n').Single(l => l.Contains("by a newer glidepath", StringComparison.Ordinal));
        Assert.Contains("may drop what the new version records, and this rollout controller neither advances, promotes nor ends a step undecided (harm still rolls back): upgrade it and restart it (logged once)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("serving", line, StringComparison.Ordinal);
    }

    /// <summary>Starts <c>glidepath</c> with <paramref name="args"/> as a process, its stderr gathered as it comes and its stdout read to the end.</summary>
    private static (Process Process, StringBuilder Stderr, Task<string> Stdout) Start(params string[] args)
    {
        var process = CliRunner.StartProcess(null, args);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        return (process, stderr, process.StandardOutput.ReadToEndAsync());
    }

    /// <summary>The files under <paramref name="path"/>'s name that the process holds open for writing although they were deleted.</summary>
    private static List<string> WritableDeleted(int pid, string path)
    {
        var found = new List<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string target;
            try
            {
                target = new FileInfo(fd).LinkTarget ?? "";
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            if (!target.StartsWith(path, StringComparison.Ordinal) || !target.EndsWith(" (deleted)", StringComparison.Ordinal))
            {
                continue;
            }

            var flags = File.ReadAllLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal));
            if ((Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 3) != 0)
            {
                found.Add(target);
            }
        }

        return found;
    }

    private static async Task UntilAsync(Process process, StringBuilder stderr, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Text(stderr).Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, $"the controller did not log \"{text}\": " + Text(stderr));
            await Task.Delay(50);
        }
    }

    private static string Text(StringBuilder sb)
    {
        lock (sb)
        {
            return sb.ToString();
        }
    }
}
