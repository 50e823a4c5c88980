using System.Globalization;
using System.Text.Json.Nodes;
using Glidepath.Environments;
using Glidepath.Evals.Gate;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Rollouts;
using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Checklist;

/// <summary>
/// Measures DESIGN.md's checklist for one release and one environment from the store: isolated environment,
/// eval gate, versioned, rollback ready (before); shadow, canary first (rollout); monitoring on, drift alerts (after). Nothing is
/// taken on trust: each row reads events, verdicts, rollouts or traces.
/// </summary>
public sealed class ChecklistService(Manifest manifest, IGlidepathStore store, TimeProvider time, ChecklistOptions options)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<IReadOnlyList<ChecklistRow>> RunAsync(Release release, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(spec);
        var releases = await store.Releases.ListAsync(manifest.App, cancellationToken).ConfigureAwait(false);
        string Label(string? id) => id is null ? "(none)" : releases.FirstOrDefault(r => r.Id == id)?.Label ?? id[..Math.Min(8, id.Length)];
        string Name(string id) => releases.FirstOrDefault(r => r.Id == id)?.Name ?? id;
        var rows = new List<ChecklistRow>();
        var stage = options.Stage;
        if (stage is null or "before")
        {
            rows.Add(await IsolatedAsync(release, spec, cancellationToken).ConfigureAwait(false));
            rows.Add(await GateAsync(release, spec, Label, Name, cancellationToken).ConfigureAwait(false));
            rows.Add(await VersionedAsync(release, cancellationToken).ConfigureAwait(false));
            rows.Add(await RollbackReadyAsync(release, spec, Label, cancellationToken).ConfigureAwait(false));
        }

        if (stage is null or "rollout")
        {
            rows.Add(await new ShadowCheck(manifest, store, time).RunAsync(release, spec, cancellationToken).ConfigureAwait(false));
            rows.Add(await new CanaryFirstCheck(manifest, store, time).RunAsync(release, spec, cancellationToken).ConfigureAwait(false));
        }

        if (stage is null or "after")
        {
            rows.Add(await new MonitoringOnCheck(manifest, store, time, options).RunAsync(release, spec, cancellationToken).ConfigureAwait(false));
            rows.Add(await new DriftAlertsCheck(manifest, store, time).RunAsync(release, spec, cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    private async Task<ChecklistRow> IsolatedAsync(Release release, EnvironmentSpec spec, CancellationToken ct)
    {
        const string check = "isolated environment";
        if (spec.Requires.Count == 0)
        {
            return new("before", check, ChecklistStatus.Skip, $"{spec.Name} declares no requires: it is the first environment on the path", null);
        }

        var found = new List<string>();
        var missing = new List<string>();
        var notStable = new List<string>();
        var noTraffic = new List<string>();
        foreach (var earlier in spec.Requires)
        {
            var history = await store.Environments.HistoryAsync(manifest.App, earlier, ct).ConfigureAwait(false);
            var stable = StableHistory.HasBeenStable(history, release.Id);
            // A rollback drill's own probes are traced: they are no evidence that the release served real traffic.
            var served = await DrillWindows.Of(history, time.GetUtcNow())
                .NewestOutsideAsync(store.Traces, new TraceQuery { App = manifest.App, Environment = earlier, ReleaseId = release.Id }, ct).ConfigureAwait(false);
            if (stable && served is not null)
            {
                found.Add(string.Create(Inv, $"{earlier}: was stable and served traffic (last trace {served.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC)"));
            }
            else
            {
                missing.Add(!stable ? $"{earlier}: never its stable release" : $"{earlier}: stable but no trace outside rollback drills: it served no real traffic there");
                (stable ? noTraffic : notStable).Add(earlier);
            }
        }

        // The hint names only what is missing: a deploy where the release never was stable, traffic where it only lacks that.
        var steps = new List<string>();
        if (notStable.Count > 0)
        {
            steps.Add($"get it onto {string.Join(" and ", notStable)} and let it serve traffic there (glidepath deploy {release.Name} --env {notStable[0]}, then glidepath serve --env {notStable[0]})");
        }

        if (noTraffic.Count > 0)
        {
            steps.Add($"let it serve traffic on {string.Join(" and ", noTraffic)} (glidepath serve --env {noTraffic[0]}, and send it requests)");
        }

        var hint = $"Stop: {string.Join("; ", steps)} first, where a mistake costs nothing.";
        return missing.Count == 0
            ? new("before", check, ChecklistStatus.Pass, string.Join("; ", found), null)
            : new("before", check, ChecklistStatus.Fail, string.Join("; ", missing.Concat(found)), hint);
    }

    private async Task<ChecklistRow> GateAsync(Release release, EnvironmentSpec spec, Func<string?, string> label, Func<string, string> name, CancellationToken ct)
    {
        const string check = "eval gate";
        var (baseline, alreadyStable) = await BaselineAsync(release, spec, ct).ConfigureAwait(false);
        if (baseline is null)
        {
            return new("before", check, ChecklistStatus.Skip, $"first release on {spec.Name}: there is no baseline to hold", null);
        }

        // Once the release is stable, env:NAME names the release itself: the gate must hold it against the one it replaced.
        var action = alreadyStable
            ? $"Blocked: this change does not ship until the gate passes against {name(baseline)}, the release it replaced on {spec.Name} — run glidepath gate {release.Name} --baseline {name(baseline)}."
            : $"Blocked: this change does not ship until the gate passes against what {spec.Name} serves today — run glidepath gate {release.Name} --baseline env:{spec.Name}.";
        var baselineIs = alreadyStable ? $"the release it replaced on {spec.Name}" : $"the release {spec.Name} serves now";
        if (manifest.Eval is null)
        {
            return new("before", check, ChecklistStatus.Fail, "glidepath.yaml has no eval: section, so no gate can pass", "Blocked: declare eval.dataset and eval.scorers, then run glidepath gate.");
        }

        // The same rule as promote and rollout start: the newest verdict of the pair on today's dataset and scorers.
        var gate = await CountingVerdict.ReadAsync(store.GateVerdicts, manifest, release.Id, baseline, ct).ConfigureAwait(false);
        if (gate.Passed)
        {
            return new("before", check, ChecklistStatus.Pass, gate.Describe(release.Name, label(baseline)), null);
        }

        var measured = gate is { Unavailable: null, Verdict: null, OtherDataset: 0, OtherScorers: 0 }
            ? $"no gate verdict against {label(baseline)}, {baselineIs}"
            : gate.Describe(release.Name, label(baseline));
        return new("before", check, ChecklistStatus.Fail, measured, action);
    }

    /// <summary>What the release is held against: the environment's stable release, or the one it replaced when it is already stable.</summary>
    private async Task<(string? Baseline, bool AlreadyStable)> BaselineAsync(Release release, EnvironmentSpec spec, CancellationToken ct)
    {
        var state = await store.Environments.GetAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        if (state.StableReleaseId != release.Id)
        {
            return (state.StableReleaseId, false);
        }

        var history = await store.Environments.HistoryAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        return (StableHistory.Replaced(history, release.Id), true);
    }

    /// <summary>Passes when any registration of this content came from a clean commit, not only the first one.</summary>
    private async Task<ChecklistRow> VersionedAsync(Release release, CancellationToken ct)
    {
        const string check = "versioned";
        const string action = "Stop: an unversioned change cannot be rolled back to or away from — commit it, then glidepath release create.";
        if (release.Version == 0)
        {
            return new("before", check, ChecklistStatus.Fail, "not a registered release (only the working tree or a git revision)", action);
        }

        var records = await store.Releases.ProvenanceAsync(release.App, release.Id, ct).ConfigureAwait(false);
        if (records.LastOrDefault(p => p.IsCleanCommit) is { } clean)
        {
            return new("before", check, ChecklistStatus.Pass, $"{release.Label}, immutable, from clean commit {Short(clean.GitCommit)}", null);
        }

        var last = records.LastOrDefault(p => p.GitCommit is not null);
        return last is null
            ? new("before", check, ChecklistStatus.Fail, $"{release.Label} is registered but records no git commit", action)
            : new("before", check, ChecklistStatus.Fail, $"{release.Label} was only ever built from uncommitted changes (last on top of {Short(last.GitCommit)})", action);
    }

    private static string Short(string? commit) => commit is null ? "-" : commit[..Math.Min(10, commit.Length)];

    private async Task<ChecklistRow> RollbackReadyAsync(Release release, EnvironmentSpec spec, Func<string?, string> label, CancellationToken ct)
    {
        const string check = "rollback ready";
        var now = time.GetUtcNow();
        var parts = new List<string>();
        var todo = new List<string>();
        var ok = true;
        if (string.IsNullOrWhiteSpace(spec.Owner))
        {
            ok = false;
            todo.Add($"name an owner under environments.{spec.Name}.owner");
            parts.Add($"no owner: {spec.Name} names nobody for the rollback decision");
        }
        else
        {
            parts.Add($"owner {spec.Owner}");
        }

        var history = await store.Environments.HistoryAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        var knownGood = StableHistory.KnownGood(history, release.Id);
        if (knownGood.Count == 0)
        {
            ok = false;
            todo.Add($"keep a known-good release on {spec.Name} to go back to");
            parts.Add($"no known-good release to go back to on {spec.Name}");
        }
        else
        {
            parts.Add($"way back to {label(knownGood[0])}");
        }

        var changedAt = await store.Monitor.ObserveConfigAsync(manifest.App, spec.Name, EnvironmentFingerprint.Compute(spec), now, ct).ConfigureAwait(false);
        var notBefore = now - options.DrillMaxAge;
        if (changedAt is { } c && c > notBefore)
        {
            notBefore = c;
        }

        EnvironmentEvent? drill = null;
        string? drillEnv = null;
        foreach (var env in PathOf(spec))
        {
            var events = env == spec.Name ? history : await store.Environments.HistoryAsync(manifest.App, env, ct).ConfigureAwait(false);
            var passed = events.LastOrDefault(e => e.Kind == EnvironmentEventKinds.Drill && e.Time >= notBefore && IsPassedResult(e.DetailsJson));
            if (passed is not null && (drill is null || passed.Time > drill.Time))
            {
                (drill, drillEnv) = (passed, env);
            }
        }

        if (drill is null)
        {
            ok = false;
            todo.Add($"run glidepath drill --env {spec.Requires.FirstOrDefault() ?? spec.Name}");
            var since = changedAt is { } changed && changed > now - options.DrillMaxAge
                ? string.Create(Inv, $"since {spec.Name}'s configuration changed ({changed.ToUniversalTime():yyyy-MM-dd HH:mm} UTC)")
                : string.Create(Inv, $"in the last {options.DrillMaxAge.TotalDays:0} days");
            parts.Add($"no passed drill on {string.Join(" or ", PathOf(spec))} {since}");
        }
        else
        {
            parts.Add(string.Create(Inv, $"drill passed on {drillEnv} at {drill.Time.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"));
        }

        return ok
            ? new("before", check, ChecklistStatus.Pass, string.Join("; ", parts), null)
            : new("before", check, ChecklistStatus.Fail, string.Join("; ", parts),
                $"Stop: an untested rollback is hope, not a plan — {string.Join("; ", todo)}.");
    }

    /// <summary>The environment and every environment before it on the promotion path.</summary>
    private List<string> PathOf(EnvironmentSpec spec)
    {
        var result = new List<string>();
        var queue = new Queue<string>([spec.Name]);
        while (queue.TryDequeue(out var name))
        {
            if (result.Contains(name))
            {
                continue;
            }

            result.Add(name);
            foreach (var r in manifest.FindEnvironment(name)?.Requires ?? [])
            {
                queue.Enqueue(r);
            }
        }

        return result;
    }

    private static bool IsPassedResult(string? detailsJson)
    {
        if (detailsJson is null)
        {
            return false;
        }

        try
        {
            var node = JsonNode.Parse(detailsJson);
            return node?["phase"]?.GetValue<string>() == "result" && node["passed"]?.GetValue<bool>() == true;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
