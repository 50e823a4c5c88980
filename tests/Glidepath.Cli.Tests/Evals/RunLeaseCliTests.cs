using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Glidepath.Evals.Runs;
using Microsoft.Data.Sqlite;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// One process at a time runs a run (trial gatejudge3 M1: two --resume of one run at once each spent the judge's whole
/// headroom). The lease of another live process refuses a resume with exit 2; one whose process on this host is gone is
/// taken over at once; a run that ends gives its lease up.
/// </summary>
public sealed class RunLeaseCliTests
{
    [Fact]
    public async Task EvalRun_ResumeWhileALiveProcessHoldsTheRun_Exit2NamingItsPidHostAndSince_TextAndJson()
    {
        using var app = EvalApp.Create();
        var id = await FinishedRunAsync(app);
        var since = DateTimeOffset.UtcNow;
        await LeaseAsync(app, id, "elsewhere/1a2b", "ci-runner-7", Environment.ProcessId, since, since.AddHours(1));

        var (code, _, stderr) = await app.RunAsync("eval", "run", "--resume", id);
        var (json, jsonOut, jsonErr) = await app.RunAsync("eval", "run", "--resume", id, "--format", "json");

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains($"run {id} is being run by pid {Environment.ProcessId} on host ci-runner-7 since {since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC", stderr, StringComparison.Ordinal);
        Assert.Contains("wait for it to end, or, if that process is gone, run this --resume again after its lease lapses", stderr, StringComparison.Ordinal);
        Assert.True(json == 2, $"exit {json}: {jsonErr}");
        Assert.Contains($"run {id} is being run by pid {Environment.ProcessId} on host ci-runner-7", jsonOut + jsonErr, StringComparison.Ordinal);
        Assert.Equal("elsewhere/1a2b", await HolderAsync(app, id)); // the refused resume left the lease alone
    }

    [Fact]
    public async Task EvalRun_ResumeWhenTheHolderOnThisHostIsGone_TakesTheRunOver_AndGivesTheLeaseUpAtTheEnd()
    {
        using var app = EvalApp.Create();
        var id = await FinishedRunAsync(app);
        var gone = await ExitedPidAsync();
        var since = DateTimeOffset.UtcNow.AddSeconds(-30);
        var scope = RunHolder.ForThisProcess().Id.Split('/')[0];
        await LeaseAsync(app, id, scope + "/crashed", Environment.MachineName, gone, since, since.AddHours(1));

        var (code, _, stderr) = await app.RunAsync("eval", "run", "--resume", id);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        Assert.Null(await HolderAsync(app, id));
    }

    [Fact]
    public async Task EvalRun_NewRun_HoldsNoLeaseOnceItEnded()
    {
        using var app = EvalApp.Create();

        var id = await FinishedRunAsync(app);

        Assert.Null(await HolderAsync(app, id));
    }

    // The gate holds its run's lease until its verdict is stored, and gives it up then.
    [Fact]
    public async Task Gate_VerdictStored_HoldsNoLeaseOnceItEnded()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--format", "json");

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var id = doc.RootElement.GetProperty("run").GetString()!;
        Assert.Null(await HolderAsync(app, id));
    }

    private static async Task<string> FinishedRunAsync(EvalApp app)
    {
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");
        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("run").GetString()!;
    }

    // A pid no process has now: that of a process that has ended.
    private static async Task<int> ExitedPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    private static async Task LeaseAsync(EvalApp app, string id, string holder, string host, int pid, DateTimeOffset since, DateTimeOffset expires)
    {
        await using var connection = new SqliteConnection($"Data Source={app.StorePath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO eval_run_leases (run_id, holder, host, pid, since, expires_at) VALUES ($run, $holder, $host, $pid, $since, $expires)";
        cmd.Parameters.AddWithValue("$run", id);
        cmd.Parameters.AddWithValue("$holder", holder);
        cmd.Parameters.AddWithValue("$host", host);
        cmd.Parameters.AddWithValue("$pid", pid);
        cmd.Parameters.AddWithValue("$since", since.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$expires", expires.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string?> HolderAsync(EvalApp app, string id)
    {
        await using var connection = new SqliteConnection($"Data Source={app.StorePath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT holder FROM eval_run_leases WHERE run_id = $run";
        cmd.Parameters.AddWithValue("$run", id);
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
