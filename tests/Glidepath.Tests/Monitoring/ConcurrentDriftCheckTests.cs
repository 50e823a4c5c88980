using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Storage;
using Glidepath.Storage.InMemory;
using Glidepath.Traces;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// Two drift checks at the same instant (the gateway's built-in check and <c>glidepath monitor --check</c> in another
/// process) each read "not raised yet" and each raised the same metric: two alerts, each posted once.
/// </summary>
public sealed class ConcurrentDriftCheckTests
{
    private const string App = "support-agent";
    private const string Env = "production";
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StopAt = Start.AddDays(10).AddHours(1);

    /// <summary>300 users' subject hashes (sha256, as the gateway makes them).</summary>
    private static readonly string[] Users = Enumerable.Range(0, 300)
        .Select(u => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"user-{u}")))).ToArray();

    private static readonly DriftPolicy Hourly = DriftPolicy.From(new Manifest
    {
        App = App,
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    });

    [Fact]
    public async Task CheckAsync_TwoChecksReadTheAlertsBeforeEitherRaises_OneAlertStoredAndPostedOnce()
    {
        var store = await SeedAsync();
        var time = new FakeTimeProvider(StopAt.AddHours(4));
        // Both checks have read the environment's recent alerts (none) before either stores one: the interleaving that
        // two processes checking at the same instant can have, made certain.
        var monitor = new BothReadFirst(store.Monitor);
        var notifier = new CountingNotifier();
        MonitorService Check() => new(store.Environments, store.Releases, store.Traces, monitor, Hourly, time, notifier);

        var checks = await Task.WhenAll(Check().CheckAsync(App, Env, default), Check().CheckAsync(App, Env, default));

        var stored = await store.Monitor.ListAlertsAsync(App, Env, 10, default);
        Assert.Equal([TrafficStop.Metric], stored.Select(a => a.Metric));
        Assert.Equal(1, checks.Sum(c => c.Raised.Count));
        Assert.Equal(1, notifier.Posts);
        Assert.Equal(AlertDelivery.Sent, stored[0].Notification);
        // The check that raised nothing says why (trial pgtwo: it exited 1 on the drift with no alert line and no reason).
        var quiet = checks.Single(c => c.Raised.Count == 0);
        Assert.Equal(stored[0].Id, Assert.Single(quiet.AlreadyAlerted).Id);
        Assert.Empty(checks.Single(c => c.Raised.Count == 1).AlreadyAlerted);
        var later = await Check().CheckAsync(App, Env, default);
        Assert.Equal((0, stored[0].Id), (later.Raised.Count, Assert.Single(later.AlreadyAlerted).Id));
    }

    /// <summary>Release r1 stable from <see cref="Start"/>; 30 requests an hour from 300 users until <see cref="StopAt"/>, none after.</summary>
    private static async Task<InMemoryStore> SeedAsync()
    {
        var store = new InMemoryStore();
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = App,
            Environment = Env,
            ExpectedRevision = 0,
            NewState = new EnvironmentState { App = App, Name = Env, Revision = 1, StableReleaseId = "r1", StableSince = Start, StableBy = "test" },
            Event = new EnvironmentEvent { App = App, Environment = Env, Revision = 1, Kind = "deploy", Actor = "test", Time = Start, ToReleaseId = "r1" },
        }, default);

        var random = new Random(20261101);
        var traces = new List<TraceRecord>();
        for (var hour = Start; hour < StopAt; hour = hour.AddHours(1))
        {
            for (var i = 0; i < 30; i++)
            {
                traces.Add(new TraceRecord
                {
                    TraceId = $"{hour:yyyyMMddHH}-{i:D2}",
                    App = App,
                    Environment = Env,
                    ReleaseId = "r1",
                    Arm = "stable",
                    StartedAt = hour.AddSeconds(random.Next(3600)),
                    Api = "openai",
                    Status = 200,
                    LatencyMs = 400,
                    OverheadMs = 0.2,
                    SubjectHash = Users[random.Next(Users.Length)],
                });
            }
        }

        await store.Traces.WriteBatchAsync(traces, default);
        return store;
    }

    /// <summary>The store, but a read of recent alerts answers only once two checks have made it.</summary>
    private sealed class BothReadFirst(IMonitorStore inner) : IMonitorStore
    {
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _readers;

        public async Task<IReadOnlyList<DriftAlert>> ListAlertsSinceAsync(string app, string environment, string releaseId, DateTimeOffset since, CancellationToken cancellationToken)
        {
            var alerts = await inner.ListAlertsSinceAsync(app, environment, releaseId, since, cancellationToken);
            if (Interlocked.Increment(ref _readers) == 2)
            {
                _both.SetResult();
            }

            await _both.Task.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
            return alerts;
        }

        public Task SaveAlertAsync(DriftAlert alert, CancellationToken cancellationToken) => inner.SaveAlertAsync(alert, cancellationToken);

        public Task<bool> RaiseAlertAsync(DriftAlert alert, DateTimeOffset raisedAfter, DateTimeOffset raisedUntil, CancellationToken cancellationToken) =>
            inner.RaiseAlertAsync(alert, raisedAfter, raisedUntil, cancellationToken);

        public Task RecordDeliveryAsync(string alertId, string notification, DateTimeOffset? nextDue, CancellationToken cancellationToken) =>
            inner.RecordDeliveryAsync(alertId, notification, nextDue, cancellationToken);

        public Task<bool> ClaimDeliveryAsync(string alertId, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset ignoreDueAfter, bool resend, CancellationToken cancellationToken) =>
            inner.ClaimDeliveryAsync(alertId, now, leaseUntil, ignoreDueAfter, resend, cancellationToken);

        public Task<IReadOnlyList<DriftAlert>> ListUndeliveredAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
            inner.ListUndeliveredAsync(app, environment, since, cancellationToken);

        public Task<IReadOnlyList<DriftAlert>> ListAlertsAsync(string app, string environment, int limit, CancellationToken cancellationToken) =>
            inner.ListAlertsAsync(app, environment, limit, cancellationToken);

        public Task<DriftAlert?> GetAlertAsync(string app, string alertId, CancellationToken cancellationToken) => inner.GetAlertAsync(app, alertId, cancellationToken);

        public Task<DriftAlert?> LatestAlertAsync(string app, string environment, string releaseId, string metric, CancellationToken cancellationToken) =>
            inner.LatestAlertAsync(app, environment, releaseId, metric, cancellationToken);

        public Task<DateTimeOffset?> ObserveConfigAsync(string app, string environment, string sha256, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.ObserveConfigAsync(app, environment, sha256, now, cancellationToken);
    }

    private sealed class CountingNotifier : IAlertNotifier
    {
        private int _posts;

        public int Posts => _posts;

        public Task<string> NotifyAsync(DriftAlert alert, string releaseLabel, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _posts);
            return Task.FromResult(AlertDelivery.Sent);
        }
    }
}
