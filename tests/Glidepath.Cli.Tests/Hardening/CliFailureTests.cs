using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Glidepath.Cli.Tests.Evals;
using Glidepath.Cli.Tests.Support;
using Microsoft.Data.Sqlite;
using Glidepath.Testing;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>Issue 13: no input or operational failure reaches the user as a stack trace; bad input is 2, operational failure 3.</summary>
public sealed class CliFailureTests
{
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(CliEnvironment env, StringWriter stdout, StringWriter stderr, params string[] args)
    {
        var code = await CliApp.RunAsync(args, env, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertNoStackTrace(string stderr) =>
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);

    [Fact]
    public async Task Run_UnexpectedException_OneLineExit3_NoStackTrace()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync(); // the store exists: a new one would be announced on a line of its own
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, false) { ModelClients = (_, _) => throw new InvalidOperationException("boom\nsecond line"), Debug = false };

        var (code, _, err) = await RunAsync(env, stdout, stderr, "eval", "run", "--manifest", app.Manifest, "--store", app.StorePath);

        Assert.Equal(3, code);
        Assert.Equal(["error: unexpected InvalidOperationException: boom second line (set GLIDEPATH_DEBUG=1 for the stack trace)"], err.TrimEnd('\n').Split('\n'));
    }

    // GLIDEPATH_DEBUG=1 prints the stack trace of an exit-3 failure escaped as the error line is: a message from a server
    // or a path must not write escape sequences to the terminal.
    [Fact]
    public async Task Run_UnexpectedExceptionWithDebug_StackTraceWithControlCharactersEscaped()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, false) { ModelClients = (_, _) => throw new InvalidOperationException("boom\u001b[2K\rFAKE"), Debug = true };

        var (code, _, err) = await RunAsync(env, stdout, stderr, "eval", "run", "--manifest", app.Manifest, "--store", app.StorePath);

        Assert.Equal(3, code);
        Assert.Contains("System.InvalidOperationException: boom\\u001B[2K\\u000DFAKE", err, StringComparison.Ordinal);
        Assert.Contains("   at ", err, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', err);
        Assert.DoesNotContain('\r', err);
    }

    // An ordinary bad-input error (exit 2) is its one line, with or without GLIDEPATH_DEBUG=1.
    [Fact]
    public async Task Run_BadInputWithDebug_OneEscapedLineNoStackTrace()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, false) { Debug = true };

        var (code, _, err) = await RunAsync(env, stdout, stderr, "history", "--env", "prod\u001b[2K\rFAKE", "--manifest", app.Manifest, "--store", app.StorePath);

        Assert.Equal(2, code);
        Assert.Contains("error: unknown environment 'prod\\u001B[2K\\u000DFAKE'", err, StringComparison.Ordinal);
        AssertNoStackTrace(err);
        Assert.DoesNotContain('\u001b', err);
    }

    // Stopped by Ctrl-C (or SIGTERM): 130, and under --format json an error object like any failure's (stdout was empty).
    [Fact]
    public async Task Run_CancelledWithJson_Exit130WithAJsonErrorObject()
    {
        using var app = EvalApp.Create();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();
        var env = new CliEnvironment(stdout, stderr, false) { ModelClients = (_, _) => { stop.Cancel(); throw new OperationCanceledException(stop.Token); } };

        var code = await CliApp.RunAsync(["eval", "run", "--format", "json", "--manifest", app.Manifest, "--store", app.StorePath], env, stop.Token);

        Assert.Equal(130, code);
        using var doc = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(130, doc.RootElement.GetProperty("exit_code").GetInt32());
        Assert.StartsWith("cancelled", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(doc.RootElement.TryGetProperty("resume", out _)); // stopped before a run was made: nothing to resume
    }

    // A variable no case sets is refused before a run is made (it used to stop a run part-way, leaving a stopped run to
    // resume); the JSON error object then names no resume line. A run stopped part-way names it: EvalRunCliTests.
    [Fact]
    public async Task Run_VariableNoCaseSetsWithJson_RefusedBeforeARunWithNothingToResume()
    {
        using var app = EvalApp.Create();
        await File.WriteAllTextAsync(Path.Combine(app.Dir, "evals", "novar.jsonl"), "{\"id\":\"a\",\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n");

        var (code, stdout, _) = await app.RunAsync("eval", "run", "--dataset", "evals/novar.jsonl", "--format", "json");

        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Contains("customer_tier", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(doc.RootElement.TryGetProperty("resume", out _));
        Assert.False(File.Exists(app.StorePath)); // nothing was stored: the store the command created is removed again
    }

    [Fact]
    public async Task Run_UnexpectedExceptionWithJson_WritesJsonErrorObject()
    {
        using var app = EvalApp.Create();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, false) { ModelClients = (_, _) => throw new InvalidOperationException("boom"), Debug = false };

        var (code, json, err) = await RunAsync(env, stdout, stderr, "eval", "run", "--manifest", app.Manifest, "--store", app.StorePath, "--format", "json");

        Assert.Equal(3, code);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(3, doc.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Contains("InvalidOperationException: boom", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        AssertNoStackTrace(err);
    }

    [Fact]
    public async Task Run_UnexpectedExceptionWithDebug_PrintsStackTrace()
    {
        using var app = EvalApp.Create();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, false) { ModelClients = (_, _) => throw new InvalidOperationException("boom"), Debug = true };

        var (code, _, err) = await RunAsync(env, stdout, stderr, "eval", "run", "--manifest", app.Manifest, "--store", app.StorePath);

        Assert.Equal(3, code);
        Assert.Contains("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseCreate_StoreWriteFails_Exit3OneLine()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        BreakWrites(app.StorePath, "releases");
        app.EditPrompt(p => p + "\nA new line.\n");

        var (code, _, stderr) = await app.RunAsync("release", "create");

        Assert.Equal(3, code);
        Assert.StartsWith($"error: the store at {app.StorePath} failed, and nothing more was written: ", stderr, StringComparison.Ordinal);
        Assert.EndsWith("; check free disk space and that the store file is writable", stderr.TrimEnd('\n'), StringComparison.Ordinal); // SQLite's advice, for SQLite
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task EvalRun_StoreWriteFails_Exit3WithoutStackTrace()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        BreakWrites(app.StorePath, "eval_runs");

        var (code, _, stderr) = await app.RunAsync("eval", "run");

        Assert.True(code == 3, stderr);
        Assert.Contains("failed, and nothing more was written", stderr, StringComparison.Ordinal);
        AssertNoStackTrace(stderr);
    }

    [Fact]
    public async Task Serve_PortInUse_Exit3NamingThePort()
    {
        using var app = EvalApp.Create();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, stderr) = await app.RunAsync("serve", "--env", "staging", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(3, code);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("already in use", line, StringComparison.Ordinal);
        AssertNoStackTrace(stderr);
        Assert.DoesNotContain("Hosting failed to start", stderr, StringComparison.Ordinal); // trial 2, D16: 25 lines of the host's log came first
    }

    [Fact]
    public async Task Status_MissingStore_Exit2AndNothingCreated()
    {
        using var dir = TempDir.WithSample();
        var store = Path.Combine(dir.Path, "no", "such", "dir", "x.db");

        var r = await CliRunner.RunAsync("status", "--manifest", dir.Path, "--store", store);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"no store at {store}", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "no")));
    }

    [Fact]
    public async Task ReleaseCreate_DurationOverflow_Exit2WithFileLineCol()
    {
        using var dir = TempDir.WithSample();
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("max_duration: 30m", "max_duration: 99999999999999d", StringComparison.Ordinal));

        var r = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path);

        Assert.Equal(2, r.ExitCode);
        Assert.Matches(@"glidepath\.yaml:\d+:\d+: max_duration '99999999999999d' is not a duration", r.Stderr);
        AssertNoStackTrace(r.Stderr);
    }

    /// <summary>Makes every insert into <paramref name="table"/> fail as a full disk would, after the store exists.</summary>
    private static void BreakWrites(string storePath, string table)
    {
        using (var connection = new SqliteConnection($"Data Source={storePath}"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"CREATE TRIGGER full_disk BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;";
            cmd.ExecuteNonQuery();
        }

        SqlitePools.ClearFile(storePath);
    }
}
