using System.Globalization;
using Glidepath.Rollouts;
using Glidepath.Storage;

namespace Glidepath.Monitoring;

/// <summary>
/// Runs the drift check from the store: the environment's stable release, its recent window, the same clock window on
/// earlier days (or weeks) while it was stable, the comparison, and a stored (and posted) alert per drifted metric, and one
/// when its traffic stopped (<see cref="TrafficStop"/>).
/// </summary>
public sealed class MonitorService(
    IEnvironmentStore environments, IReleaseStore releases, ITraceStore traces, IMonitorStore alerts, DriftPolicy policy, TimeProvider time, IAlertNotifier? notifier)
{
    private readonly DriftMonitor _monitor = new(policy);

    public MonitorService(IGlidepathStore store, DriftPolicy policy, TimeProvider time, IAlertNotifier? notifier)
        : this((store ?? throw new ArgumentNullException(nameof(store))).Environments, store.Releases, store.Traces, store.Monitor, policy, time, notifier)
    {
    }

    public async Task<MonitorCheck> CheckAsync(string app, string environment, CancellationToken cancellationToken)
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
        var stopReference = await TrafficStopReference.ReadAsync(
            traces, app, environment, releaseId, windows, perWindow, recent.Requests, since, policy, cancellationToken).ConfigureAwait(false);
        evidences.Add(TrafficStop.Assess(TrafficStop.ActiveSubjects(recent), stopReference.Subjects, policy));
        var raised = new List<DriftAlert>();
        foreach (var evidence in evidences.Where(e => e.Verdict == "harm"))
        {
            var last = await alerts.LatestAlertAsync(app, environment, releaseId, evidence.Metric, cancellationToken).ConfigureAwait(false);
            if (last is not null && last.RaisedAt > now - policy.RecentWindow)
            {
                continue;
            }

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
                Message = evidence.Metric == TrafficStop.Metric
                    ? TrafficStop.Message(environment, windows, evidence)
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{evidence.Metric} drifted on {environment}: recent vs {windows.ReferenceText()} {evidence.IntervalText()} is beyond {evidence.ToleranceText} (recent n={evidence.CanaryN}, reference n={evidence.StableN})"),
            };
            await alerts.SaveAlertAsync(alert, cancellationToken).ConfigureAwait(false);
            if (notifier is not null)
            {
                var label = (await releases.GetByIdAsync(app, releaseId, cancellationToken).ConfigureAwait(false))?.Label ?? releaseId[..Math.Min(8, releaseId.Length)];
                var outcome = await notifier.NotifyAsync(alert, label, cancellationToken).ConfigureAwait(false);
                await alerts.SetNotificationAsync(alert.Id, outcome, cancellationToken).ConfigureAwait(false);
                alert = alert with { Notification = outcome };
            }

            raised.Add(alert);
        }

        return new MonitorCheck
        {
            App = app,
            Environment = environment,
            ReleaseId = releaseId,
            Windows = windows,
            ReferenceRequests = reference.Requests,
            RecentRequests = recent.Requests,
            Evidence = evidences,
            TrafficStopReference = stopReference.PassedOver > 0 ? stopReference : null,
            Raised = raised,
        };
    }
}
