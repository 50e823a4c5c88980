using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Drift alerts (append-only but for their notification) and the configurations an environment has had.</summary>
public abstract class MonitorStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    private static DriftAlert Alert(string id, DateTimeOffset at, string metric = "latency", string env = "production", string release = "r1") => new()
    {
        Id = id,
        App = "app",
        Environment = env,
        ReleaseId = release,
        Metric = metric,
        RaisedAt = at,
        Windows = new DriftWindows(at.AddDays(-7), at.AddDays(-1), at.AddHours(-1), at),
        Evidence = new MetricEvidence
        {
            Metric = metric,
            Scale = "ratio",
            CanaryN = 120,
            StableN = 900,
            Estimate = 1.4,
            Lower = 1.2,
            Upper = 1.6,
            Tolerance = 1.25,
            ToleranceText = "at most x1.25",
            Verdict = "harm",
            Alpha = 0.05,
        },
        Message = $"{metric} drifted",
    };

    [Fact]
    public async Task SaveAlertAsync_ReadBackNewestFirstUpToTheLimit()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0), None);
        await Store.Monitor.SaveAlertAsync(Alert("a3", T0.AddHours(2)), None);
        await Store.Monitor.SaveAlertAsync(Alert("a2", T0.AddHours(1)), None);
        await Store.Monitor.SaveAlertAsync(Alert("b1", T0.AddHours(3), env: "staging"), None);

        var alerts = await Store.Monitor.ListAlertsAsync("app", "production", 2, None);

        Assert.Equal(["a3", "a2"], alerts.Select(a => a.Id));
        var a3 = alerts[0];
        Assert.Equal((T0.AddHours(2), T0.AddHours(2).AddDays(-7), "none"), (a3.RaisedAt, a3.Windows.ReferenceFrom, a3.Notification));
        Assert.Equal((1.4, 1.2, "harm", 900L), (a3.Evidence.Estimate, a3.Evidence.Lower, a3.Evidence.Verdict, a3.Evidence.StableN));
        Assert.Single(await Store.Monitor.ListAlertsAsync("app", "production", 0, None));
    }

    [Fact]
    public async Task ListAlertsSinceAsync_EveryAlertOfTheReleaseFromThatTime_NewestFirstWithoutLimit()
    {
        await Store.Monitor.SaveAlertAsync(Alert("old", T0.AddTicks(-1)), None);
        await Store.Monitor.SaveAlertAsync(Alert("at", T0), None);
        for (var i = 0; i < 600; i++)
        {
            await Store.Monitor.SaveAlertAsync(Alert($"other-{i}", T0.AddMinutes(30), release: "r2"), None);
        }

        await Store.Monitor.SaveAlertAsync(Alert("later", T0.AddHours(1), metric: "error_rate"), None);
        await Store.Monitor.SaveAlertAsync(Alert("staging", T0.AddHours(1), env: "staging"), None);

        var alerts = await Store.Monitor.ListAlertsSinceAsync("app", "production", "r1", T0, None);

        Assert.Equal(["later", "at"], alerts.Select(a => a.Id));
        Assert.Equal(600, (await Store.Monitor.ListAlertsSinceAsync("app", "production", "r2", T0, None)).Count);
    }

    [Fact]
    public async Task LatestAlertAsync_ByMetric_NewestOfThatMetric()
    {
        await Store.Monitor.SaveAlertAsync(Alert("l1", T0), None);
        await Store.Monitor.SaveAlertAsync(Alert("l2", T0.AddHours(1)), None);
        await Store.Monitor.SaveAlertAsync(Alert("e1", T0.AddHours(2), metric: "error_rate"), None);

        Assert.Equal("l2", (await Store.Monitor.LatestAlertAsync("app", "production", "r1", "latency", None))!.Id);
        Assert.Null(await Store.Monitor.LatestAlertAsync("app", "production", "r2", "latency", None));
    }

    [Fact]
    public async Task GetAlertAsync_ByIdWithinTheApp_NullForAnotherAppOrAnUnknownId()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0) with { Notification = "failed: HTTP 500", DeliveryAttempts = 3 }, None);
        await Store.Monitor.SaveAlertAsync(Alert("a2", T0.AddHours(1), env: "staging"), None);
        await Store.Monitor.SaveAlertAsync(Alert("other", T0) with { App = "other-app" }, None);

        var a1 = await Store.Monitor.GetAlertAsync("app", "a1", None);

        Assert.Equal(("a1", "production", "failed: HTTP 500", 3, T0), (a1!.Id, a1.Environment, a1.Notification, a1.DeliveryAttempts, a1.RaisedAt));
        Assert.Equal("staging", (await Store.Monitor.GetAlertAsync("app", "a2", None))!.Environment);
        Assert.Null(await Store.Monitor.GetAlertAsync("app", "other", None));
        Assert.Null(await Store.Monitor.GetAlertAsync("app", "nope", None));
    }

    [Fact]
    public async Task RecordDeliveryAsync_ChangesOnlyTheDeliveryStatusAndDueTime()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0) with { Notification = AlertDelivery.Pending }, None);

        await Store.Monitor.RecordDeliveryAsync("a1", "failed: 502 from the webhook", T0.AddMinutes(1), None);

        var alert = Assert.Single(await Store.Monitor.ListAlertsAsync("app", "production", 10, None));
        Assert.Equal(("failed: 502 from the webhook", "latency drifted", T0.AddMinutes(1)), (alert.Notification, alert.Message, alert.DeliveryDue));
    }

    [Fact]
    public async Task RecordDeliveryAsync_AfterSent_ALaterFailureDoesNotReplaceIt()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0) with { Notification = AlertDelivery.Pending }, None);
        await Store.Monitor.RecordDeliveryAsync("a1", AlertDelivery.Sent, null, None);

        await Store.Monitor.RecordDeliveryAsync("a1", "failed: TaskCanceledException", T0.AddMinutes(1), None);

        var alert = Assert.Single(await Store.Monitor.ListAlertsAsync("app", "production", 10, None));
        Assert.Equal((AlertDelivery.Sent, (DateTimeOffset?)null), (alert.Notification, alert.DeliveryDue));
    }

    [Fact]
    public async Task ClaimDeliveryAsync_HeldUntilItsLeaseOrBackoffPasses_ThenClaimedAgainAndCounted()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0) with { Notification = AlertDelivery.Pending }, None);
        var horizon = TimeSpan.FromHours(2);

        Assert.True(await Store.Monitor.ClaimDeliveryAsync("a1", T0, T0.AddMinutes(2), T0 + horizon, resend: false, None));
        Assert.False(await Store.Monitor.ClaimDeliveryAsync("a1", T0.AddMinutes(1), T0.AddMinutes(3), T0.AddMinutes(1) + horizon, resend: false, None));
        await Store.Monitor.RecordDeliveryAsync("a1", "failed: HTTP 500", T0.AddMinutes(4), None);
        Assert.False(await Store.Monitor.ClaimDeliveryAsync("a1", T0.AddMinutes(3), T0.AddMinutes(5), T0.AddMinutes(3) + horizon, resend: false, None));
        Assert.True(await Store.Monitor.ClaimDeliveryAsync("a1", T0.AddMinutes(4), T0.AddMinutes(6), T0.AddMinutes(4) + horizon, resend: false, None));

        var alert = Assert.Single(await Store.Monitor.ListAlertsAsync("app", "production", 10, None));
        Assert.Equal((2, T0.AddMinutes(6), "failed: HTTP 500"), (alert.DeliveryAttempts, alert.DeliveryDue, alert.Notification));
    }

    [Fact]
    public async Task ClaimDeliveryAsync_SentOrUnknownAlert_NeverClaimed()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0) with { Notification = AlertDelivery.Pending }, None);
        await Store.Monitor.RecordDeliveryAsync("a1", AlertDelivery.Sent, null, None);

        Assert.False(await Store.Monitor.ClaimDeliveryAsync("a1", T0.AddDays(1), T0.AddDays(1).AddMinutes(2), T0.AddDays(2), resend: false, None));
        Assert.False(await Store.Monitor.ClaimDeliveryAsync("nope", T0, T0.AddMinutes(2), T0.AddHours(2), resend: false, None));
    }

    [Fact]
    public async Task ClaimDeliveryAsync_DueBeyondTheHorizon_SetByAHostWhoseClockWasAhead_DoesNotHoldItBack()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0) with { Notification = "failed: HTTP 500", DeliveryAttempts = 1, DeliveryDue = T0.AddDays(1) }, None);

        Assert.False(await Store.Monitor.ClaimDeliveryAsync("a1", T0, T0.AddMinutes(2), T0.AddDays(2), resend: false, None));
        Assert.True(await Store.Monitor.ClaimDeliveryAsync("a1", T0, T0.AddMinutes(2), T0.AddHours(2), resend: false, None));
    }

    // A failed attempt recorded with no next one wanted is a delivery that gave up: a check never takes it up again,
    // however its clock reads (trial longrun #1); monitor --resend does.
    [Fact]
    public async Task ClaimDeliveryAsync_DeliveryGaveUp_NotClaimedByACheck_ClaimedByAResend()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0) with { Notification = AlertDelivery.Pending }, None);
        await Store.Monitor.SaveAlertAsync(Alert("a2", T0) with { Notification = AlertDelivery.Pending }, None);
        Assert.True(await Store.Monitor.ClaimDeliveryAsync("a1", T0, T0.AddMinutes(2), T0.AddHours(2), resend: false, None));
        await Store.Monitor.RecordDeliveryAsync("a1", "failed: HTTP 500", null, None);

        Assert.False(await Store.Monitor.ClaimDeliveryAsync("a1", T0.AddMinutes(5), T0.AddMinutes(7), T0.AddHours(2), resend: false, None));
        Assert.True(await Store.Monitor.ClaimDeliveryAsync("a2", T0.AddMinutes(5), T0.AddMinutes(7), T0.AddHours(2), resend: false, None));
        Assert.True(await Store.Monitor.ClaimDeliveryAsync("a1", T0.AddMinutes(5), T0.AddMinutes(7), T0.AddMinutes(7), resend: true, None));
        Assert.Equal(2, (await Store.Monitor.GetAlertAsync("app", "a1", None))!.DeliveryAttempts);
    }

    [Fact]
    public async Task ClaimDeliveryAsync_ManyMonitorsAtOnce_ExactlyOneWins()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0) with { Notification = AlertDelivery.Pending }, None);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => Store.Monitor.ClaimDeliveryAsync("a1", T0, T0.AddMinutes(2), T0.AddHours(2), resend: false, None))));

        Assert.Equal(1, claims.Count(c => c));
        Assert.Equal(1, Assert.Single(await Store.Monitor.ListAlertsAsync("app", "production", 10, None)).DeliveryAttempts);
    }

    [Fact]
    public async Task ListUndeliveredAsync_NotSentFromThatTimeInThisEnvironment_OldestFirst()
    {
        await Store.Monitor.SaveAlertAsync(Alert("old", T0.AddTicks(-1)) with { Notification = AlertDelivery.Pending }, None);
        await Store.Monitor.SaveAlertAsync(Alert("b", T0.AddHours(2)) with { Notification = "failed: HTTP 500", DeliveryAttempts = 1 }, None);
        await Store.Monitor.SaveAlertAsync(Alert("a", T0) with { Notification = AlertDelivery.Pending }, None);
        await Store.Monitor.SaveAlertAsync(Alert("n", T0.AddHours(3), release: "r2"), None);
        await Store.Monitor.SaveAlertAsync(Alert("s", T0.AddHours(1)) with { Notification = AlertDelivery.Sent }, None);
        await Store.Monitor.SaveAlertAsync(Alert("staging", T0.AddHours(1), env: "staging") with { Notification = AlertDelivery.Pending }, None);

        var undelivered = await Store.Monitor.ListUndeliveredAsync("app", "production", T0, None);

        Assert.Equal(["a", "b", "n"], undelivered.Select(a => a.Id));
        Assert.Equal((1, "failed: HTTP 500"), (undelivered[1].DeliveryAttempts, undelivered[1].Notification));
    }

    [Fact]
    public async Task SaveAlertAsync_SameIdTwice_RefusedAndTheFirstKept()
    {
        await Store.Monitor.SaveAlertAsync(Alert("a1", T0), None);

        await StoreAssert.RefusedAsync(() => Store.Monitor.SaveAlertAsync(Alert("a1", T0.AddHours(1), metric: "cost_per_call"), None));

        Assert.Equal("latency", Assert.Single(await Store.Monitor.ListAlertsAsync("app", "production", 10, None)).Metric);
    }

    // The monitor's rule (DriftAlert.RaisedSpan): the same (environment, release, metric) raised after the span's start
    // and at or before its end is already raised; one raised further ahead came from a host whose clock is ahead.
    [Fact]
    public async Task RaiseAlertAsync_SameMetricRaisedWithinTheSpan_NotStored_OtherwiseStored()
    {
        await Store.Monitor.SaveAlertAsync(Alert("first", T0), None);
        await Store.Monitor.SaveAlertAsync(Alert("ahead", T0.AddHours(3)), None);
        var now = T0.AddMinutes(30);
        var (after, until) = DriftAlert.RaisedSpan(now, TimeSpan.FromHours(1));

        Assert.False(await Store.Monitor.RaiseAlertAsync(Alert("again", now), after, until, None));
        Assert.True(await Store.Monitor.RaiseAlertAsync(Alert("other-metric", now, metric: "error_rate"), after, until, None));
        Assert.True(await Store.Monitor.RaiseAlertAsync(Alert("other-release", now, release: "r2"), after, until, None));
        Assert.True(await Store.Monitor.RaiseAlertAsync(Alert("other-env", now, env: "staging"), after, until, None));
        // The span's start is open: an alert raised exactly then is a window old, and the metric is raised again; "ahead"
        // (three hours ahead of this check, beyond the slack) does not count.
        var (later, laterUntil) = DriftAlert.RaisedSpan(T0.AddHours(1), TimeSpan.FromHours(1));
        Assert.True(await Store.Monitor.RaiseAlertAsync(Alert("window-later", T0.AddHours(1)), later, laterUntil, None));
        // Its end is closed: "ahead" raised exactly at the end of the clock slack counts.
        var (edge, edgeUntil) = DriftAlert.RaisedSpan(T0.AddHours(3) - DriftAlert.ClockSlack, TimeSpan.FromHours(1));
        Assert.False(await Store.Monitor.RaiseAlertAsync(Alert("at-the-edge", T0.AddHours(3) - DriftAlert.ClockSlack), edge, edgeUntil, None));

        var stored = await Store.Monitor.ListAlertsAsync("app", "production", 20, None);
        Assert.Equal(["ahead", "window-later", "other-release", "other-metric", "first"], stored.Select(a => a.Id));
    }

    // Two drift checks at the same instant (the gateway's and `monitor --check` in another process) raised the same
    // metric twice, and each alert was posted: of eight raising at once, one stores it.
    [Fact]
    public async Task RaiseAlertAsync_ManyMonitorsAtOnce_ExactlyOneStores()
    {
        var (after, until) = DriftAlert.RaisedSpan(T0, TimeSpan.FromHours(1));

        var raised = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.Monitor.RaiseAlertAsync(Alert($"a{i}", T0) with { Notification = AlertDelivery.Pending }, after, until, None))));

        Assert.Equal(1, raised.Count(r => r));
        Assert.Single(await Store.Monitor.ListAlertsSinceAsync("app", "production", "r1", after, None));
    }

    [Fact]
    public async Task ObserveConfigAsync_ReturnsWhenTheCurrentConfigurationWasFirstSeen_UnknownForTheOriginal()
    {
        var monitor = Store.Monitor;

        Assert.Null(await monitor.ObserveConfigAsync("app", "production", "A", T0, None));
        Assert.Null(await monitor.ObserveConfigAsync("app", "production", "A", T0.AddHours(1), None));
        Assert.Equal(T0.AddHours(2), await monitor.ObserveConfigAsync("app", "production", "B", T0.AddHours(2), None));
        Assert.Equal(T0.AddHours(2), await monitor.ObserveConfigAsync("app", "production", "B", T0.AddHours(3), None));
        Assert.Null(await monitor.ObserveConfigAsync("app", "production", "A", T0.AddHours(4), None));
        Assert.Null(await monitor.ObserveConfigAsync("app", "staging", "B", T0.AddHours(5), None));
    }
}
