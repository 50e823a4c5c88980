using System.Globalization;
using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Checklist;

/// <summary>
/// The "drift alerts" row (after): the drift monitor's alerts on this release and environment that are still open. Alerts
/// have no "resolved" state; the monitor raises a drift it keeps seeing again once per recent window, so an alert counts
/// as open while it is younger than two of its own recent windows (<see cref="DriftAlert.OpenUntil"/>): it drops off
/// once the monitor stops raising it. With no open alert, the row passes only once the monitor can have compared the
/// release: it compares the environment's stable release against the same clock window on an earlier day, so until then
/// there is no evidence either way and the row is a skip, never a pass.
/// </summary>
internal sealed class DriftAlertsCheck(Manifest manifest, IGlidepathStore store, TimeProvider time)
{
    private const string Check = "drift alerts";

    public async Task<ChecklistRow> RunAsync(Release release, EnvironmentSpec spec, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // No recent window is longer than MaxWindow, so no alert raised before two of them is open: every open alert is read,
        // however many alerts the environment has.
        var alerts = await store.Monitor.ListAlertsSinceAsync(manifest.App, spec.Name, release.Id, now - DriftAlert.OpenFor(DriftPolicy.MaxWindow), ct).ConfigureAwait(false);
        var open = alerts
            .Where(a => now < a.OpenUntil)
            .GroupBy(a => a.Metric, StringComparer.Ordinal)
            .Select(g => g.MaxBy(a => a.RaisedAt)!)
            .OrderByDescending(a => a.RaisedAt)
            .ToList();
        if (open.Count == 0)
        {
            return await NotComparedAsync(release, spec, now, ct).ConfigureAwait(false)
                ?? await LastWindowAsync(release, spec, ct).ConfigureAwait(false);
        }

        // The guarded rollback, as the alerts themselves name it: ends this state of the environment, or is refused if it moved.
        var revision = (await store.Environments.GetAsync(manifest.App, spec.Name, ct).ConfigureAwait(false)).Revision;
        var named = open.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{a.Metric} ({a.Id}, raised {a.RaisedAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC{Ahead(a, now)}: {a.Evidence.WindowIntervalText()} beyond {a.Evidence.ToleranceText})"));
        return new("after", Check, ChecklistStatus.Fail,
            $"{open.Count} open drift alert(s) of {release.Name} on {spec.Name}: {string.Join("; ", named)}",
            $"Stop: the monitor sees {release.Name} drifting on {spec.Name} — read glidepath monitor --env {spec.Name}, then fix the cause or roll back ({Rollouts.HoldWarning.RollbackCommand(spec.Name, revision)}); an alert stops counting two of its windows after it was raised, once the monitor no longer raises it.");
    }

    /// <summary>
    /// A skip row while the monitor cannot have compared the release (it is not the stable release, or the reference window
    /// of the default <c>--window</c> is not there yet), or null once it can. Check runs are not stored, so a comparison that
    /// could have run but did not (no serve, controller or scheduled check) is not seen here: docs/checklist.md says so.
    /// </summary>
    private async Task<ChecklistRow?> NotComparedAsync(Release release, EnvironmentSpec spec, DateTimeOffset now, CancellationToken ct)
    {
        var state = await store.Environments.GetAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        if (state.StableReleaseId != release.Id || state.StableSince is not { } since)
        {
            return new("after", Check, ChecklistStatus.Skip,
                $"drift not compared yet: {release.Name} is not the stable release of {spec.Name}, and the monitor compares only the stable release (from a day after it became stable)", null);
        }

        var policy = DriftPolicy.From(manifest);
        if (DriftWindows.For(since, now, policy) is not null)
        {
            return null;
        }

        return new("after", Check, ChecklistStatus.Skip, string.Create(CultureInfo.InvariantCulture,
            $"drift not compared yet: ready at {DriftWindows.ReadyAt(since, policy).UtcDateTime:yyyy-MM-dd HH:mm} UTC (the monitor needs the same clock window on an earlier day with {release.Name} stable on {spec.Name}); no open drift alert"), null);
    }

    /// <summary>
    /// With no open alert and the monitor able to compare: the comparison of the last default window, raising nothing, so a
    /// pass says which metrics it rests on. Metrics that window could not compare (at modest traffic the online scores are
    /// <c>not_enough_data</c> in every 1-hour window: trial drift #3) are named with why; a window that compared no metric is
    /// a skip, never a pass.
    /// </summary>
    private async Task<ChecklistRow> LastWindowAsync(Release release, EnvironmentSpec spec, CancellationToken ct)
    {
        var policy = DriftPolicy.From(manifest);
        var check = await new MonitorService(store, policy, time, null).CompareOnlyAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        var none = $"no open drift alert of {release.Name} on {spec.Name} (none raised within two monitor windows)";
        var window = DriftMonitor.WindowText(policy.RecentWindow);
        if (check.Skipped is not null || check.ReleaseId != release.Id)
        {
            // The stable release changed between the two reads, or the monitor could not compare: no evidence, no pass.
            return new("after", Check, ChecklistStatus.Skip, $"drift not compared: {check.Skipped ?? $"{release.Name} is no longer the stable release of {spec.Name}"}; {none}", null);
        }

        // Drift the comparison sees that no alert records: no monitor ran (no serve, controller or scheduled check) since.
        var harm = check.Evidence.Where(e => e.Verdict == "harm").ToList();
        if (harm.Count > 0)
        {
            return new("after", Check, ChecklistStatus.Fail,
                $"the last {window} window shows drift of {release.Name} on {spec.Name} that no alert records: " +
                string.Join("; ", harm.Select(e => $"{e.Metric} {e.WindowIntervalText()} beyond {e.ToleranceText}")),
                $"Stop: is a monitor running for {spec.Name} (glidepath serve or glidepath controller, or a scheduled monitor --check)? Run glidepath monitor --env {spec.Name} --check to raise and post the alert, then fix the cause or roll back.");
        }

        // Compared: judged safe or unclear; not: not_enough_data, or no_data (no request of the kind on either side). The
        // traffic-stop check is not a metric of the release's behaviour: one request makes it safe, so it is not counted.
        var metrics = check.Evidence.Where(e => e.Metric != TrafficStop.Metric).ToList();
        var notCompared = metrics.Where(e => e.Verdict is not ("safe" or "unclear")).ToList();
        if (metrics.Count > 0 && notCompared.Count == 0)
        {
            return new("after", Check, ChecklistStatus.Pass, none, null);
        }

        var named = string.Join("; ", notCompared.Select(e => $"{e.Metric} ({e.Reason ?? "no data on either side"})"));
        var fix = $"Run glidepath monitor --env {spec.Name} --check --window 6h (a longer window holds more requests), or raise online.sample_rate for the online scores; the gateway's own check uses a {window} window";
        if (notCompared.Count == metrics.Count)
        {
            return new("after", Check, ChecklistStatus.Skip,
                $"drift not compared: the last {window} window compared no metric of {release.Name} on {spec.Name}: {named}; {none}", fix);
        }

        return new("after", Check, ChecklistStatus.Pass,
            $"{none}; the last {window} window compared {metrics.Count - notCompared.Count} of {metrics.Count} metrics, not: {named}", null);
    }

    /// <summary>", after now: raised by a host whose clock was ahead", or "" for an alert raised within the clock slack of now.</summary>
    private static string Ahead(DriftAlert alert, DateTimeOffset now) => alert.RaisedAheadOf(now)
        ? string.Create(CultureInfo.InvariantCulture, $", {(alert.RaisedAt - now).TotalHours:0.#} h after now: raised by a host whose clock was ahead")
        : "";
}
