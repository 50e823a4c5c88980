using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// A call its app cancels, and a stream the app stops reading, is normal traffic (traced as 499, as a gateway client
/// that went away): not a warning with a stack trace in the app's log (a trial found one per cancelled call, from the
/// OpenTelemetry GenAI layer of the provider pipeline). It is logged at Debug, without the exception.
/// </summary>
public sealed class CancellationLogTests
{
    [Fact]
    public async Task CancelledCall_LoggedAtDebugWithoutTheException()
    {
        await using var app = await SimAppAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.Chat.GetResponseAsync("Where is my order A-1?", cancellationToken: cancelled.Token));

        Assert.DoesNotContain(app.Log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(app.Log.Entries, e => e.Exception is not null);
        Assert.Contains(app.Log.Entries, e => e.Level == LogLevel.Debug && e.Text.Contains("cancelled by its caller", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CancelledMidStream_LoggedAtDebugWithoutTheException()
    {
        await using var app = await SimAppAsync();
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in app.Chat.GetStreamingResponseAsync("Where is my order A-1?", cancellationToken: cancel.Token))
            {
                await cancel.CancelAsync(); // after the first update: the app gives up on the rest
            }
        });

        Assert.DoesNotContain(app.Log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(app.Log.Entries, e => e.Exception is not null);
    }

    [Fact]
    public async Task StreamNotReadToTheEnd_NothingAtWarning()
    {
        await using var app = await SimAppAsync();

        await foreach (var update in app.Chat.GetStreamingResponseAsync("Where is my order A-1?"))
        {
            break;
        }

        Assert.DoesNotContain(app.Log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(app.Log.Entries, e => e.Exception is not null);
    }

    // An outside trial: every model call through the SDK added an Information line (the gateway's access-log line) to
    // the host app's log: 6,645 in a few minutes. It is at Debug in the SDK.
    [Fact]
    public async Task AnsweredCall_ThePerCallLineIsAtDebug()
    {
        await using var app = await SimAppAsync();

        await app.Chat.GetResponseAsync("Where is my order A-1?");

        var line = Assert.Single(app.Log.Entries, e => e.Text.StartsWith("request ", StringComparison.Ordinal) && e.Text.Contains(" arm stable ", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, line.Level);
    }

    /// <summary>A copy of the sample (the simulated model) with v1 stable in staging, and a runtime on it whose log is kept.</summary>
    private static async Task<SimApp> SimAppAsync()
    {
        var dir = TempDir.WithSample();
        var path = dir.File(Path.Combine(".glidepath", "glidepath.db"));
        await using (var store = await SqliteStore.OpenAsync(path, TimeProvider.System, CancellationToken.None))
        {
            var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
            var v1 = (await store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(manifest, "v1", TimeProvider.System, default), default)).Release;
            var state = await store.Environments.GetAsync(manifest.App, "staging", default);
            await store.Environments.ApplyAsync(new EnvironmentChange
            {
                App = manifest.App,
                Environment = "staging",
                ExpectedRevision = state.Revision,
                NewState = state with { StableReleaseId = v1.Id },
                Event = new EnvironmentEvent { App = manifest.App, Environment = "staging", Revision = 0, Kind = "deploy", Actor = "test", Time = DateTimeOffset.UtcNow },
            }, default);
        }

        var log = new KeptLog();
        var runtime = new GlidepathRuntime(new GlidepathOptions { Environment = "staging", Manifest = dir.File("glidepath.yaml"), Store = path }, log);
        await runtime.StartAsync(CancellationToken.None);
        return new SimApp(dir, runtime, log);
    }

    private sealed class SimApp(TempDir dir, GlidepathRuntime runtime, KeptLog log) : IAsyncDisposable
    {
        public IChatClient Chat { get; } = runtime.CreateChatClient();

        public KeptLog Log => log;

        public async ValueTask DisposeAsync()
        {
            await runtime.DisposeAsync();
            SqlitePools.ClearFolder(dir.Path);
            dir.Dispose();
        }
    }
}
