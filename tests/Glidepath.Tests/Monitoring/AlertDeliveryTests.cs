using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Glidepath.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Tests.Monitoring;

public sealed class AlertDeliveryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 4, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DeliverAsync_ReceiverThatNeverAnswers_PostsEveryAlertSideBySide_AndStopsAtOneBudget()
    {
        var store = new InMemoryStore();
        var time = new FakeTimeProvider(T0);
        await SaveAsync(store, "a1", "latency", T0);
        await SaveAsync(store, "a2", "latency_p95", T0);
        await SaveAsync(store, "a3", "error_rate", T0);
        var hanging = new HangingNotifier(expected: 3);

        var delivering = new AlertDelivery(store.Monitor, store.Releases, hanging, time).DeliverAsync("app", "production", CancellationToken.None);
        // All three posts are in flight at once: one after the other, the second would never start while the first hangs.
        await hanging.AllStarted.WaitAsync(TimeSpan.FromMinutes(1));
        time.Advance(AlertDelivery.Budget);
        var results = await delivering;

        Assert.Equal(["a1", "a2", "a3"], results.Select(r => r.AlertId));
        Assert.All(results, r => Assert.Equal("failed: no answer within the check's 20 s", r.Outcome));
        var stored = await store.Monitor.ListUndeliveredAsync("app", "production", T0, CancellationToken.None);
        Assert.All(stored, a => Assert.Equal((1, T0 + AlertDelivery.Backoff(1)), (a.DeliveryAttempts, a.DeliveryDue)));
    }

    [Fact]
    public async Task DeliverAsync_FailedAttempt_RetriedOnlyAfterItsBackoff_ThenSentAndNeverPostedAgain()
    {
        var store = new InMemoryStore();
        var time = new FakeTimeProvider(T0);
        await SaveAsync(store, "a1", "latency", T0);
        var notifier = new ScriptedNotifier("failed: HTTP 500", AlertDelivery.Sent);
        var delivery = new AlertDelivery(store.Monitor, store.Releases, notifier, time);

        Assert.Equal("failed: HTTP 500", Assert.Single(await delivery.DeliverAsync("app", "production", CancellationToken.None)).Outcome);
        time.Advance(AlertDelivery.Backoff(1) - TimeSpan.FromSeconds(1));
        Assert.Empty(await delivery.DeliverAsync("app", "production", CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new AlertDeliveryResult("a1", 2, AlertDelivery.Sent), Assert.Single(await delivery.DeliverAsync("app", "production", CancellationToken.None)));
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(await delivery.DeliverAsync("app", "production", CancellationToken.None));
        Assert.Equal(2, notifier.Posts);
    }

    [Fact]
    public async Task DeliverAsync_AlertNoLongerOpen_NotPostedAndShownAsGivenUp()
    {
        var store = new InMemoryStore();
        var time = new FakeTimeProvider(T0);
        await SaveAsync(store, "a1", "latency", T0);
        await store.Monitor.RecordDeliveryAsync("a1", "failed: HTTP 500", T0.AddMinutes(1), CancellationToken.None);
        var notifier = new ScriptedNotifier(AlertDelivery.Sent);
        time.Advance(TimeSpan.FromHours(2)); // two of its 1-hour windows: closed

        Assert.Empty(await new AlertDelivery(store.Monitor, store.Releases, notifier, time).DeliverAsync("app", "production", CancellationToken.None));

        var alert = Assert.Single(await store.Monitor.ListAlertsAsync("app", "production", 10, CancellationToken.None));
        Assert.Equal("gave_up", AlertDeliveryStatus.State(alert, time.GetUtcNow()));
        Assert.Equal(0, notifier.Posts);
    }

    // Trial longrun #1: once a delivery gave up, a check whose clock stepped back into the alert's open span (or a host
    // whose clock is behind) posted it again, continuing its attempt count. Giving up is stored, not read off the clock.
    [Fact]
    public async Task DeliverAsync_DeliveryGaveUp_ACheckWhoseClockSteppedBackIntoItsOpenSpan_DoesNotPostItAgain()
    {
        var store = new InMemoryStore();
        var time = new FakeTimeProvider(T0);
        await SaveAsync(store, "a1", "latency", T0);
        var notifier = new ScriptedNotifier("failed: HTTP 500");
        var delivery = new AlertDelivery(store.Monitor, store.Releases, notifier, time);

        // A check every 5 minutes while the receiver answers 500: attempts at 0, 5, 10, 15, 25, 45 and 80 minutes; the
        // back-off after the 7th (64 minutes) ends after the alert closes (2 hours), so that attempt was the last.
        for (var minute = 0; minute <= 115; minute += 5)
        {
            time.SetUtcNow(T0.AddMinutes(minute));
            await delivery.DeliverAsync("app", "production", CancellationToken.None);
        }

        var alert = (await store.Monitor.GetAlertAsync("app", "a1", CancellationToken.None))!;
        Assert.Equal(7, notifier.Posts);
        Assert.Equal("gave_up", AlertDeliveryStatus.State(alert, time.GetUtcNow()));
        Assert.Equal("failed: HTTP 500 (gave up after 7 attempt(s); alert open until 2026-11-04 15:00 UTC)", AlertDeliveryStatus.View(alert, time.GetUtcNow()).Text());

        var steppedBack = new FakeTimeProvider(T0.AddMinutes(30));
        Assert.Empty(await new AlertDelivery(store.Monitor, store.Releases, notifier, steppedBack).DeliverAsync("app", "production", CancellationToken.None));
        Assert.Equal(7, notifier.Posts);
        Assert.Equal("gave_up", AlertDeliveryStatus.State(alert, steppedBack.GetUtcNow()));

        // Only a resend posts it again.
        var resent = await new AlertDelivery(store.Monitor, store.Releases, new ScriptedNotifier(AlertDelivery.Sent), steppedBack).ResendAsync("app", "production", "a1", CancellationToken.None);
        Assert.Equal(new AlertDeliveryResult("a1", 8, AlertDelivery.Sent), resent);
    }

    // Trial longrun #1: a correctly clocked host posted the alerts a host whose clock was ahead had raised (a false
    // no_traffic among them), hours before their time. It posts one only once its own clock reaches the alert's time.
    [Fact]
    public async Task DeliverAsync_AlertDatedAfterThisHostsClock_NotPostedUntilItsOwnTimeComes()
    {
        var store = new InMemoryStore();
        var raisedAt = T0.AddHours(17);
        await SaveAsync(store, "a1", TrafficStop.Metric, raisedAt);
        var notifier = new ScriptedNotifier(AlertDelivery.Sent);
        var time = new FakeTimeProvider(T0);
        var delivery = new AlertDelivery(store.Monitor, store.Releases, notifier, time);

        Assert.Empty(await delivery.DeliverAsync("app", "production", CancellationToken.None));
        var held = AlertDeliveryStatus.View((await store.Monitor.GetAlertAsync("app", "a1", CancellationToken.None))!, time.GetUtcNow());
        Assert.Equal(("pending", raisedAt - DriftAlert.ClockSlack), (held.State, held.NextAttemptAfter));
        time.SetUtcNow(raisedAt - DriftAlert.ClockSlack - TimeSpan.FromSeconds(1));
        Assert.Empty(await delivery.DeliverAsync("app", "production", CancellationToken.None));
        Assert.Equal(0, notifier.Posts);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new AlertDeliveryResult("a1", 1, AlertDelivery.Sent), Assert.Single(await delivery.DeliverAsync("app", "production", CancellationToken.None)));
    }

    [Fact]
    public async Task DeliverAsync_SecondMonitorWhileTheFirstIsPosting_ClaimsNothing_EachAlertPostedOnce()
    {
        var store = new InMemoryStore();
        var time = new FakeTimeProvider(T0);
        for (var i = 0; i < 5; i++)
        {
            await SaveAsync(store, $"a{i}", "latency", T0);
        }

        var notifier = new GatedNotifier(expected: 5);
        var first = new AlertDelivery(store.Monitor, store.Releases, notifier, time).DeliverAsync("app", "production", CancellationToken.None);
        await notifier.AllStarted.WaitAsync(TimeSpan.FromMinutes(1));

        // The first monitor's five posts are in flight (claimed, not yet recorded): the second finds every alert held.
        var second = new AlertDelivery(store.Monitor, store.Releases, notifier, time).DeliverAsync("app", "production", CancellationToken.None);
        notifier.Open();

        Assert.Equal(5, (await first).Count);
        Assert.Empty(await second);
        Assert.Equal(5, notifier.Posts);
    }

    // --resend while a check's post of the alert is in flight (its lease): refused, and nothing posted twice.
    [Fact]
    public async Task ResendAsync_AnotherMonitorIsPostingIt_RefusedNamingWhenItIsFree()
    {
        var store = new InMemoryStore();
        var time = new FakeTimeProvider(T0);
        await SaveAsync(store, "a1", "latency", T0);
        Assert.True(await store.Monitor.ClaimDeliveryAsync("a1", T0, T0 + AlertDelivery.Lease, T0 + AlertDelivery.MaxBackoff, resend: false, CancellationToken.None));
        var notifier = new ScriptedNotifier(AlertDelivery.Sent);

        var refused = await Assert.ThrowsAsync<Glidepath.Errors.PolicyException>(() =>
            new AlertDelivery(store.Monitor, store.Releases, notifier, time).ResendAsync("app", "production", "a1", CancellationToken.None));

        Assert.Equal("drift alert a1 has a delivery attempt in flight (another monitor's), or waits out the first minutes of back-off after one that failed, until 2026-11-04 13:02:00 UTC; run --resend again after that", refused.Message);
        Assert.Equal(0, notifier.Posts);
    }

    // A failure 30 minutes into an open alert waits out a back-off before a check retries it; a resend does not.
    [Fact]
    public async Task ResendAsync_OpenAlertInItsBackoff_PostedNowAsTheNextAttempt_AFailureBacksOffAgain()
    {
        var store = new InMemoryStore();
        var time = new FakeTimeProvider(T0.AddMinutes(30));
        await SaveAsync(store, "a1", "latency", T0);
        await store.Monitor.RecordDeliveryAsync("a1", "failed: HTTP 500", T0.AddMinutes(60), CancellationToken.None);
        var notifier = new ScriptedNotifier("failed: HTTP 502");

        var result = await new AlertDelivery(store.Monitor, store.Releases, notifier, time).ResendAsync("app", "production", "a1", CancellationToken.None);

        Assert.Equal(new AlertDeliveryResult("a1", 1, "failed: HTTP 502"), result);
        var alert = (await store.Monitor.GetAlertAsync("app", "a1", CancellationToken.None))!;
        Assert.Equal(("failed: HTTP 502", 1, T0.AddMinutes(30) + AlertDelivery.Backoff(1)), (alert.Notification, alert.DeliveryAttempts, alert.DeliveryDue));
    }

    private static Task SaveAsync(InMemoryStore store, string id, string metric, DateTimeOffset at) => store.Monitor.SaveAlertAsync(new DriftAlert
    {
        Id = id,
        App = "app",
        Environment = "production",
        ReleaseId = "r1",
        Metric = metric,
        RaisedAt = at,
        Windows = new DriftWindows(at.AddDays(-1).AddHours(-1), at.AddDays(-1), at.AddHours(-1), at),
        Evidence = new MetricEvidence { Metric = metric, Scale = "ratio", CanaryN = 100, StableN = 100, Tolerance = 1.25, ToleranceText = "max_ratio 1.25", Verdict = "harm", Alpha = 0.01 },
        Message = $"{metric} drifted",
        Notification = AlertDelivery.Pending,
    }, CancellationToken.None);

    /// <summary>A receiver that takes every post and never answers; <see cref="AllStarted"/> completes once <c>expected</c> posts are waiting.</summary>
    private sealed class HangingNotifier(int expected) : IAlertNotifier
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public Task AllStarted => _all.Task;

        public async Task<string> NotifyAsync(DriftAlert alert, string releaseLabel, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _started) == expected)
            {
                _all.SetResult();
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return AlertDelivery.Sent;
        }
    }

    /// <summary>Holds every post until <see cref="Open"/>, then answers sent; <see cref="AllStarted"/> completes once <c>expected</c> posts wait.</summary>
    private sealed class GatedNotifier(int expected) : IAlertNotifier
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _posts;

        public Task AllStarted => _all.Task;

        public int Posts => _posts;

        public void Open() => _gate.TrySetResult();

        public async Task<string> NotifyAsync(DriftAlert alert, string releaseLabel, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _posts) == expected)
            {
                _all.SetResult();
            }

            await _gate.Task.WaitAsync(cancellationToken);
            return AlertDelivery.Sent;
        }
    }

    /// <summary>Answers each post with the next outcome (the last one repeats), counting posts.</summary>
    private sealed class ScriptedNotifier(params string[] outcomes) : IAlertNotifier
    {
        private int _posts;

        public int Posts => _posts;

        public Task<string> NotifyAsync(DriftAlert alert, string releaseLabel, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _posts);
            return Task.FromResult(outcomes[Math.Min(n, outcomes.Length) - 1]);
        }
    }
}
