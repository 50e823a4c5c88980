using System.Globalization;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Checklist;

/// <summary>
/// The "monitoring on" row (after): online scoring is configured, traces of the release arrive, and the online scores on
/// them are results, not errors. Scoring whose every recent result is an error (a misconfigured scorer, a judge without
/// its key) measures nothing, so it is not monitoring: fail closed.
/// </summary>
internal sealed class MonitoringOnCheck(Manifest manifest, IGlidepathStore store, TimeProvider time, ChecklistOptions options)
{
    /// <summary>How many of the newest scored traces are read to tell scores from errors.</summary>
    public const int ScoredTracesRead = 200;

    private const string Check = "monitoring on";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<ChecklistRow> RunAsync(Release release, EnvironmentSpec spec, CancellationToken ct)
    {
        var parts = new List<string>();
        var fixes = new List<string>();
        var scoringOn = manifest.Online is { SampleRate: > 0, Scorers.Count: > 0 };
        if (scoringOn)
        {
            parts.Add(string.Create(Inv, $"online scoring of {manifest.Online!.SampleRate * 100:0.##}% of requests with {manifest.Online.Scorers.Count} scorer(s)"));
        }
        else
        {
            fixes.Add("set online.sample_rate above 0 with online scorers");
            parts.Add("online scoring is off (online.sample_rate is 0 or no online scorers)");
        }

        var since = time.GetUtcNow() - options.TracesWithin;
        var recent = new TraceQuery { App = manifest.App, Environment = spec.Name, ReleaseId = release.Id, Since = since, Limit = 1 };

        // A drill's probes (drill --allow-production) are traced too: they do not show that monitoring sees real traffic.
        var history = await store.Environments.HistoryAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        var drills = DrillWindows.Of(history, time.GetUtcNow());
        var last = await drills.NewestOutsideAsync(store.Traces, recent, ct).ConfigureAwait(false);
        IReadOnlyList<TraceRecord> traces = last is null ? [] : [last];
        if (traces.Count > 0)
        {
            parts.Add(string.Create(Inv, $"traces arriving (last {traces[0].StartedAt.ToUniversalTime():HH:mm:ss} UTC)"));
        }
        else
        {
            parts.Add(string.Create(Inv, $"no trace of {release.Name} on {spec.Name} in the last {options.TracesWithin.TotalMinutes:0} minutes"));

            // Traces that flowed before and stopped mean the gateway was set up: advising to start it sends the reader
            // the wrong way when it runs and the callers stopped (trial "drift" #4). Only a release that never served here
            // needs a gateway.
            var earlier = await drills.NewestOutsideAsync(store.Traces, recent with { Since = null }, ct).ConfigureAwait(false);
            if (earlier is not null)
            {
                parts.Add(string.Create(Inv, $"its traffic stopped: last trace {earlier.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"));
                fixes.Add($"find why requests of {release.Name} stopped reaching {spec.Name}: check that its gateway (glidepath serve --env {spec.Name}) or SDK host is running and reachable and that callers and any load balancer still send to it (glidepath monitor --env {spec.Name} --check shows no_traffic)");
            }
            else
            {
                fixes.Add($"serve {spec.Name} through glidepath serve --env {spec.Name} so traces of {release.Name} flow");
            }
        }

        if (scoringOn && traces.Count > 0)
        {
            var scored = await store.Traces.ListAsync(recent with { ScoredOnly = true, Limit = ScoredTracesRead }, ct).ConfigureAwait(false);
            var errors = scored.Select(OnlineScoreErrors.Of).ToList();
            if (scored.Count > 0 && errors.TrueForAll(e => e is not null))
            {
                fixes.Add("fix the online scorers (glidepath traces show on one of these traces shows each scorer's error)");
                parts.Add(string.Create(Inv, $"online scores of {release.Name} are all errors, so scoring measures nothing: {scored.Count} of the {scored.Count} newest scored trace(s) in the last {options.TracesWithin.TotalMinutes:0} minutes; first error: {errors[0]}"));
            }
            else if (scored.Count > 0)
            {
                parts.Add(string.Create(Inv, $"{errors.Count(e => e is null)} of the {scored.Count} newest scored trace(s) scored without error"));
            }
            else
            {
                // None scored: with enough answered traces that is not chance (expecting 5 or more, none comes with
                // probability e^-5 < 0.7%), but scoring that does not happen — a full scorer queue, a gateway without it.
                var answered = (await store.Traces.ListAsync(recent with { Limit = ScoredTracesRead }, ct).ConfigureAwait(false)).Count(t => t.Status == 200);
                var expected = answered * manifest.Online!.SampleRate;
                if (expected >= 5)
                {
                    fixes.Add("find why nothing is scored (the gateway logs each online scoring failure; a trace sampled while its scoring queue is full is written unscored)");
                    parts.Add(string.Create(Inv, $"none of the {answered} newest answered trace(s) of {release.Name} in the last {options.TracesWithin.TotalMinutes:0} minutes was scored online, where about {expected:0} would be at sample_rate {manifest.Online.SampleRate:0.###}"));
                }
            }
        }

        // The fix names only what is missing: a hint to turn on scoring that is on sends the reader the wrong way.
        return fixes.Count == 0
            ? new("after", Check, ChecklistStatus.Pass, string.Join("; ", parts), null)
            : new("after", Check, ChecklistStatus.Fail, string.Join("; ", parts),
                $"Stop: without it a silent regression ships unseen — {string.Join(", and ", fixes)}.");
    }
}
