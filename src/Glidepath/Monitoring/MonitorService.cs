using System.Globalization;
using Glidepath.Environments;
using Glidepath.Rollouts;
using Glidepath.Storage;

namespace Glidepath.Monitoring;

/// <summary>
/// Runs the drift check from the store: the environment's stable release, its recent window, the same clock window on
/// earlier days (or weeks) while it was stable, the comparison, and a stored (and posted) alert per drifted metric, and one
/// when its traffic stopped (<see cref="TrafficStop"/>). Alerts are stored before they are posted, and every check with a
/// webhook also posts the environment's open alerts that earlier posts missed (<see cref="AlertDelivery"/>).
/// </summary>
public sealed class MonitorService(
    IEnvironmentStore environments, IReleaseStore releases, ITraceStore traces, IMonitorStore alerts, DriftPolicy policy, TimeProvider time, IAlertNotifier? notifier)
{
    private readonly DriftMonitor _monitor = new(policy);

    public MonitorService(IGlidepathStore store, DriftPolicy policy, TimeProvider time, IAlertNotifier? notifier)
        : this((store ?? throw new ArgumentNullException(nameof(store))).Environments, store.Releases, store.Traces, store.Monitor, policy, time, notifier)
    {
    }

    /// <summary>
    /// Compares and raises, then (with a webhook) posts the environment's open alerts not yet delivered — also when
    /// nothing could be compared, since an earlier release's alerts may still be waiting for their page.
    /// </summary>
    public async Task<MonitorCheck> CheckAsync(string app, string environment, CancellationToken cancellationToken)
    {
        var check = await CompareAsync(app, environment, cancellationToken).ConfigureAwait(false);
        if (notifier is null)
        {
            return check;
        }

        var delivered = await new AlertDelivery(alerts, releases, notifier, time).DeliverAsync(app, environment, cancellationToken).ConfigureAwait(false);
        return check with
        {
            Raised = [.. check.Raised.Select(a => delivered.FirstOrDefault(d => d.AlertId == a.Id) is { } d
                ? a with { Notification = d.Outcome, DeliveryAttempts = d.Attempt }
                : a)],
            Delivered = delivered,
        };
    }

    /// <summary>
    /// The comparison alone, as <see cref="CheckAsync"/> makes it, raising and posting nothing: what the checklist reads to
    /// say which metrics the last window could not compare.
    /// </summary>
    public Task<MonitorCheck> CompareOnlyAsync(string app, string environment, CancellationToken cancellationToken) =>
        CompareAsync(app, environment, raise: false, cancellationToken);

    private async Task<MonitorCheck> CompareAsync(string app, string environment, CancellationToken cancellationToken) =>
        await CompareAsync(app, environment, raise: true, cancellationToken).ConfigureAwait(false);

    private async Task<MonitorCheck> CompareAsync(string app, string environment, bool raise, CancellationToken cancellationToken)
    {
        var state = await environments.GetAsync(app, environment, cancellationToken).ConfigureAwait(false);
        if (state.StableReleaseId is not { } releaseId || state.StableSince is not { } since)
        {
            return new MonitorCheck { App = app, Environment = environment, Skipped = $"{environment} has no stable release" };
        }

        var now = time.GetUtcNow();
        if (DriftWindows.For(since, now, policy) is not { } windows)
        {
            var readyAt = DriftWindows.ReadyAt(since, policy);
            var earlier = policy.Reference == DriftReference.Week ? "the same weekday a week earlier" : "an earlier day";
            return new MonitorCheck
            {
                App = app,
                Environment = environment,
                ReleaseId = releaseId,
                ReadyAt = readyAt,
                Skipped = string.Create(CultureInfo.InvariantCulture,
                    $"not ready: the reference needs the same clock window on {earlier} with this release stable (ready at {readyAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC)"),
            };
        }

        var reference = default(ArmSample);
        var perWindow = new List<long>();
        foreach (var (from, to) in windows.ReferenceWindows)
        {
            var stats = await traces.ArmStatsAsync(app, environment, from, to, cancellationToken).ConfigureAwait(false);
            var matched = ArmSamples.ForRelease(stats, releaseId);
            perWindow.Add(TrafficStop.ActiveSubjects(matched));
            reference = ArmSamples.Add(reference, matched);
        }

        var recent = ArmSamples.ForRelease(
            await traces.ArmStatsAsync(app, environment, windows.RecentFrom, windows.RecentTo, cancellationToken).ConfigureAwait(false), releaseId);
        var evidences = _monitor.Evidence(recent, reference).ToList();
        var oneArm = _monitor.OneArm(recent, reference);
        var stopReference = await TrafficStopReference.ReadAsync(
            traces, app, environment, releaseId, windows, perWindow, recent.Requests, since, policy, cancellationToken).ConfigureAwait(false);
        evidences.Add(TrafficStop.Assess(TrafficStop.ActiveSubjects(recent), stopReference.Subjects, policy));
        var check = new MonitorCheck
        {
            App = app,
            Environment = environment,
            ReleaseId = releaseId,
            Windows = windows,
            ReferenceRequests = reference.Requests,
            RecentRequests = recent.Requests,
            Evidence = evidences,
            OneArm = oneArm,
            SubjectShortfall = _monitor.SubjectShortfall(recent, reference, evidences, environment),
            TrafficStopReference = stopReference.PassedOver > 0 ? stopReference : null,
        };
        if (!raise)
        {
            return check;
        }

        // An alert raised after now (beyond the clock slack) came from a host whose clock is ahead: it does not stop this
        // host raising the metric (DriftAlert.RaisedSpan), or a wrong clock would silence it everywhere for up to a window.
        var (raisedAfter, raisedUntil) = DriftAlert.RaisedSpan(now, policy.RecentWindow);
        var recentAlerts = await alerts.ListAlertsSinceAsync(app, environment, releaseId, raisedAfter, cancellationToken).ConfigureAwait(false);
        var ahead = recentAlerts.Where(a => a.RaisedAheadOf(now)).ToList();
        var raised = new List<DriftAlert>();
        // Whether a rollback has somewhere to go, read only when something drifted: an alert that advised
        // 'glidepath rollback' on an environment's first stable release named a command that exits 4 (trial drift3 L1).
        var rollBackTo = evidences.Any(e => e.Verdict == "harm")
            && StableHistory.KnownGood(await environments.HistoryAsync(app, environment, cancellationToken).ConfigureAwait(false), releaseId).Count > 0;
        foreach (var evidence in evidences.Where(e => e.Verdict == "harm"))
        {
            var alert = new DriftAlert
            {
                Id = "al-" + Guid.NewGuid().ToString("N")[..16],
                App = app,
                Environment = environment,
                ReleaseId = releaseId,
                Metric = evidence.Metric,
                RaisedAt = now,
                Windows = windows,
                Evidence = evidence,
                Message = AlertMessage(state, windows, evidence, evidence.Metric == "error_rate" ? oneArm : null, rollBackTo),
                Notification = notifier is null ? AlertDelivery.NotConfigured : AlertDelivery.Pending,
            };

            // Stored before any post: a monitor that stops now leaves it pending, and the next check delivers it. The store
            // decides "already raised" and stores in one step: of two checks at once (the gateway's and a cron's), one
            // raises the metric, and the other has no alert of its own to post.
            if (await alerts.RaiseAlertAsync(alert, raisedAfter, raisedUntil, cancellationToken).ConfigureAwait(false))
            {
                raised.Add(alert);
            }
        }

        // A drifted metric not raised here was raised within the window, by an earlier check or one running at once: read
        // again, since a concurrent check's alert is not in the list read before.
        var alreadyAlerted = new List<DriftAlert>();
        var unraised = evidences.Where(e => e.Verdict == "harm" && raised.All(a => a.Metric != e.Metric)).Select(e => e.Metric).ToList();
        if (unraised.Count > 0)
        {
            var open = await alerts.ListAlertsSinceAsync(app, environment, releaseId, raisedAfter, cancellationToken).ConfigureAwait(false);
            alreadyAlerted.AddRange(unraised
                .Select(m => open.Where(a => a.Metric == m && !a.RaisedAheadOf(now)).MaxBy(a => a.RaisedAt))
                .OfType<DriftAlert>());
        }

        return check with { Raised = raised, RaisedAhead = ahead, AlreadyAlerted = alreadyAlerted };
    }

    /// <summary>
    /// What drifted, and what to do about it: for a metric the checklist drift row's next step, for a stop where to look;
    /// for <c>error_rate</c> with refusals of the request or timeouts in either window, what was done with them (<paramref name="oneArm"/>).
    /// </summary>
    private static string AlertMessage(EnvironmentState state, DriftWindows windows, MetricEvidence evidence, string? oneArm, bool rollBackTo)
    {
        var environment = state.Name;
        var act = rollBackTo
            ? $"fix the cause or roll back ({HoldWarning.RollbackCommand(environment, state.Revision)})"
            : $"fix the cause ({environment} has no earlier known-good release to roll back to)";
        return evidence.Metric == TrafficStop.Metric
            ? TrafficStop.Message(environment, windows, evidence)
                + $". Check that the gateway serving {environment} is up and reachable, and that the clients, load balancer or proxy in front of it still send it traffic (glidepath monitor --env {environment})"
            : string.Create(CultureInfo.InvariantCulture,
                $"{evidence.Metric} drifted on {environment}: recent vs {windows.ReferenceText()} {evidence.WindowIntervalText()} is beyond {evidence.ToleranceText} (recent n={evidence.CanaryN}, reference n={evidence.StableN}){(oneArm is null ? "" : "; " + oneArm)}. Read glidepath monitor --env {environment}, then {act}");
    }
}
