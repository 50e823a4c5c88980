using System.Text.Json;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Cli.Tests.Support;
using Glidepath.Rollouts;
using Glidepath.Storage;
using Glidepath.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// Trial pgoutage (MEDIUM 1): <c>rollout status --watch</c> ended with exit 3 at the first store error of a 12 s PostgreSQL
/// restart, though the rollout went on, and under <c>--format json</c> wrote an indented error object into its JSON Lines.
/// The store here fails on the refreshes a test names (<see cref="FlakyStoreProvider"/>) and every wait ends at once
/// (<see cref="InstantTime"/>): no real delay, nothing racing.
/// </summary>
public sealed class RolloutWatchOutageCliTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 0, 0, 25, TimeSpan.Zero);

    [Fact]
    public async Task StatusWatch_StoreFailsForTwoRefreshes_SaysSoOnOneLineEach_AndEndsOnlyWhenTheRolloutDoes()
    {
        await using var app = await StartedAsync();

        var (code, stdout, stderr) = await WatchAsync(app, Outage(4, 2, 3), "--format", "json");

        Assert.Equal(ExitCodes.Negative, code); // aborted, as read at the fourth refresh: not the outage's exit 3
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var docs = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList(); // JSON Lines: every line one whole value
        Assert.Equal("progressing", docs[0].GetProperty("rollout").GetProperty("state").GetString());
        foreach (var failed in docs.Skip(1).Take(2))
        {
            Assert.True(failed.GetProperty("retrying").GetBoolean());
            Assert.StartsWith($"cannot read the store at {app.StorePath}: database is locked; another process held", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, failed.GetProperty("retry_every_seconds").GetDouble());
            Assert.False(failed.TryGetProperty("exit_code", out _));
        }

        Assert.Equal(Start.AddSeconds(1), docs[1].GetProperty("at").GetDateTimeOffset());
        Assert.Equal("aborted", docs[3].GetProperty("rollout").GetProperty("state").GetString());
        var notes = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, notes.Length);
        Assert.Equal($"store unreachable at 00:00:26 UTC: cannot read the store at {app.StorePath}: database is locked; another process held the store's write lock for longer than the busy timeout; retry; retrying every 1s", notes[0]);
        Assert.StartsWith("store unreachable at 00:00:27 UTC: ", notes[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWatch_Text_KeepsRefreshingThroughTheOutage()
    {
        await using var app = await StartedAsync();

        var (code, stdout, stderr) = await WatchAsync(app, Outage(6, 2, 3, 4, 5));

        Assert.Equal(ExitCodes.Negative, code);
        Assert.Equal(4, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("store unreachable at ", StringComparison.Ordinal)));
        Assert.Contains("aborted", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", stderr, StringComparison.Ordinal);
    }

    // A watch that could not read the rollout even once fails as the command does without --watch (a wrong location is not
    // waited on), and its error object is one line of the JSON Lines too.
    [Fact]
    public async Task StatusWatch_FirstRefreshFails_Exit3_WithOneCompactErrorLine()
    {
        await using var app = await StartedAsync();

        var (code, stdout, stderr) = await WatchAsync(app, Outage(2, 1), "--format", "json");

        Assert.Equal(ExitCodes.Operational, code);
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var error = JsonDocument.Parse(line).RootElement;
        Assert.Equal(3, error.GetProperty("exit_code").GetInt32());
        Assert.Equal($"cannot read the store at {app.StorePath}: database is locked; another process held the store's write lock for longer than the busy timeout; retry", error.GetProperty("error").GetString());
        Assert.Equal($"error: {error.GetProperty("error").GetString()}", stderr.Trim());
        Assert.DoesNotContain("nothing more was written", stderr, StringComparison.Ordinal); // a read-only command wrote nothing
    }

    private static async Task<EnvApp> StartedAsync()
    {
        var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        return app;
    }

    /// <summary>LatestAsync fails as SQLite's BUSY on the calls <paramref name="failing"/>, and reads the rollout aborted from call <paramref name="endsAt"/> on.</summary>
    private static Func<int, Func<Task<Rollout?>>, Task<Rollout?>> Outage(int endsAt, params int[] failing) => async (call, read) =>
    {
        if (failing.Contains(call))
        {
            throw new SqliteException("database is locked", 5);
        }

        var rollout = await read();
        return call >= endsAt && rollout is not null ? rollout with { State = RolloutState.Aborted } : rollout;
    };

    private static async Task<(int Code, string Stdout, string Stderr)> WatchAsync(EnvApp app, Func<int, Func<Task<Rollout?>>, Task<Rollout?>> latest, params string[] extra)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, IsTerminal: false)
        {
            Time = new InstantTime(Start),
            Stores = new StoreProviders().Add(new FlakyStoreProvider(app.StorePath, latest)).Add(new SqliteStoreProvider()),
        };
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // turns a watch that never ends into a failure
        var code = await CliApp.RunAsync(
            ["rollout", "status", "--env", "production", "--watch", "--interval", "1s", .. extra, "--manifest", app.Manifest, "--store", FlakyStoreProvider.Location],
            env, bound.Token);
        Assert.False(bound.IsCancellationRequested, "the watch did not end");
        return (code, stdout.ToString(), stderr.ToString());
    }
}
