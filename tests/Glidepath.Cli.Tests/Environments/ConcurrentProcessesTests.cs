using System.Diagnostics;
using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Environments;

public sealed class ConcurrentProcessesTests
{
    [Fact]
    public async Task PromoteAndRollback_TwentySeparateProcesses_LeaveGaplessRevisionsAndStableEqualToLastEvent()
    {
        await using var app = await EnvApp.CreateAsync(4);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.OkAsync("promote", "v2", "--env", "production", "--force", "--reason", "setup");
        var before = (await app.JsonAsync("history", "--env", "production")).GetProperty("events").GetArrayLength();

        var cli = Path.Combine(AppContext.BaseDirectory, "Glidepath.Cli.dll");
        Assert.True(File.Exists(cli), cli);
        var runs = Enumerable.Range(0, 20).Select(i =>
        {
            string[] args = i % 3 == 2
                ? ["rollback", "--env", "production", "--reason", $"race {i}"]
                : ["promote", $"v{1 + (i % 4)}", "--env", "production", "--force", "--reason", $"race {i}"];
            return RunProcessAsync(cli, [.. args, "--manifest", app.Manifest, "--store", app.StorePath, "--format", "json"], $"racer-{i}");
        }).ToList();
        var results = await Task.WhenAll(runs);

        foreach (var (code, _, stderr) in results)
        {
            Assert.True(code is ExitCodes.Ok or ExitCodes.Refused, $"exit {code}: {stderr}");
        }

        var changed = results.Count(r => r.Code == 0 && JsonDocument.Parse(r.Stdout).RootElement.GetProperty("changed").GetBoolean());
        Assert.True(changed >= 1, "at least one process must win");
        Assert.Contains(results, r => r.Code == ExitCodes.Refused && r.Stderr.Contains("changed since it was read", StringComparison.Ordinal));

        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var history = await store.Environments.HistoryAsync("support-agent", "production", CancellationToken.None);
        var state = await store.Environments.GetAsync("support-agent", "production", CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Revision));
        Assert.Equal(before + changed, history.Count);
        Assert.Equal(history.Count, state.Revision);
        var lastStableEvent = history.Last(e => EnvironmentEventKinds.ChangesStable(e.Kind));
        Assert.Equal(lastStableEvent.ToReleaseId, state.StableReleaseId);

        // Each event's "from" is the previous event's "to": no change acted on a stale stable pointer.
        var moves = history.Where(e => EnvironmentEventKinds.ChangesStable(e.Kind)).ToList();
        for (var i = 1; i < moves.Count; i++)
        {
            Assert.Equal(moves[i - 1].ToReleaseId, moves[i].FromReleaseId);
        }

        Assert.All(history.Skip(before), e => Assert.StartsWith("racer-", e.Actor, StringComparison.Ordinal));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(string dll, string[] args, string actor)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["GLIDEPATH_ACTOR"] = actor;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
