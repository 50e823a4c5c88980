using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Storage;

namespace Glidepath.Cli.Drills;

/// <summary>
/// A rollback exercised end to end against a running gateway: the candidate goes on the environment as a
/// 100% canary (the stable pointer never moves, so a drill cut short is undone by <c>glidepath rollback</c>),
/// probes run until the gateway serves it, the canary is taken off, and the time until every probe is
/// served by the stable release again is measured. Timing probes are route-only (<c>Glidepath-Probe: route</c>:
/// the same routing table, no provider call), so the measurement is not blurred by model latency; a few full,
/// traced requests on each side check that their traces name the release the probes showed served (a gateway sends an
/// ordinary answer's <c>Glidepath-Release</c> only where the environment opts in; when it does, that release is the one
/// checked). Each step is a compare-and-swap with a <c>drill</c> event; the last event carries the measured result.
/// </summary>
internal sealed class RollbackDrill(IEnvironmentStore environments, ITraceStore traces, HttpClient http, TimeProvider time, string app)
{

    /// <summary>Progress lines for a human (stderr in the CLI).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>An access token with the admin role in the environment: a gateway answers route probes only to one (sent as <c>Glidepath-Admin-Token</c>).</summary>
    public string? ProbeToken { get; init; }

    public async Task<DrillResult> RunAsync(DrillOptions options, CancellationToken cancellationToken)
    {
        var state = await CheckAsync(options, cancellationToken).ConfigureAwait(false);
        var seed = "drill-" + Convert.ToHexStringLower(BitConverter.GetBytes(time.GetTimestamp()));
        var probes = new List<DrillProbe>();
        DrillResult result;
        var on = await ApplyAsync(state, state with { Canary = new CanaryState(options.Candidate.Id, 100, seed) }, "candidate_on", null, cancellationToken).ConfigureAwait(false);
        try
        {
            Progress?.Invoke($"candidate {options.Candidate.Label} on {options.Environment} (revision {on.Revision}); probing {ShownUrl.Of(options.Gateway)}");
            var (candidateMs, p1) = await ProbeUntilAsync(options, options.Candidate.Label, options.CandidateTimeout, cancellationToken).ConfigureAwait(false);
            probes.AddRange(p1);
            if (candidateMs is null)
            {
                throw new OperationalException(
                    $"the gateway at {ShownUrl.Of(options.Gateway)} did not serve the candidate within {options.CandidateTimeout.TotalSeconds:0} s; is it serving '{options.Environment}' from this store?");
            }

            Progress?.Invoke($"candidate served after {candidateMs:0} ms; rolling back");
            probes.AddRange(await TracedProbesAsync(options, options.Candidate.Label, cancellationToken).ConfigureAwait(false));
            var current = await environments.GetAsync(app, options.Environment, cancellationToken).ConfigureAwait(false);
            var off = await ApplyAsync(current, current with { Canary = null }, "rollback", null, cancellationToken).ConfigureAwait(false);
            var (rollbackMs, p2) = await ProbeUntilAsync(options, options.Stable.Label, options.Limit + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            probes.AddRange(p2);
            Progress?.Invoke(rollbackMs is { } ms ? $"rollback (revision {off.Revision}) served by every probe after {ms:0} ms" : "rollback not served in time");
            probes.AddRange(await TracedProbesAsync(options, options.Stable.Label, cancellationToken).ConfigureAwait(false));

            var (checkedCount, mismatched, missing) = await CheckTracesAsync(probes, options, cancellationToken).ConfigureAwait(false);
            var inTime = rollbackMs is { } r && r <= options.Limit.TotalMilliseconds;
            var failure = !inTime
                ? $"the rollback was not served within {options.Limit.TotalMilliseconds:0} ms" + (rollbackMs is { } late ? $" (took {late:0} ms)" : "")
                : mismatched > 0 ? $"{mismatched} trace(s) name a different release than the gateway served" : null;
            result = new DrillResult
            {
                Passed = failure is null,
                CandidateReleaseId = options.Candidate.Id,
                StableReleaseId = options.Stable.Id,
                LimitMs = options.Limit.TotalMilliseconds,
                CandidateServedMs = candidateMs.Value,
                RollbackServedMs = rollbackMs,
                Probes = probes.Count,
                ProbeErrors = probes.Count(p => p.Status is not (200 or 204)),
                TracesChecked = checkedCount,
                TracesMismatched = mismatched,
                TracesMissing = missing,
                Failure = failure,
            };
        }
        catch
        {
            await UndoAsync(options, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var end = await environments.GetAsync(app, options.Environment, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(end, end, "result", JsonSerializer.SerializeToNode(result, DrillJson.Options)!.AsObject(), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Every refusal of <see cref="RunAsync"/> before it changes anything (no gateway there, frozen, an active canary), on
    /// the environment as it is now: <c>glidepath drill --candidate working</c> checks before it registers the candidate.
    /// </summary>
    public async Task<EnvironmentState> CheckAsync(DrillOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await CheckGatewayAsync(options, cancellationToken).ConfigureAwait(false);
        var state = await environments.GetAsync(app, options.Environment, cancellationToken).ConfigureAwait(false);
        if (state.Frozen)
        {
            throw new PolicyException($"environment '{options.Environment}' is frozen (\"{state.FrozenReason}\"); unfreeze it before a drill");
        }

        if (state.Canary is not null)
        {
            throw new PolicyException($"environment '{options.Environment}' has an active canary; a drill would end it. Finish or roll back the rollout first");
        }

        if (state.StableReleaseId != options.Stable.Id)
        {
            throw new PolicyException($"environment '{options.Environment}' changed while the drill was being set up; run it again");
        }

        return state;
    }

    private async Task CheckGatewayAsync(DrillOptions options, CancellationToken cancellationToken)
    {
        JsonNode? ready;
        try
        {
            using var response = await http.GetAsync(new Uri(options.Gateway, "/readyz"), cancellationToken).ConfigureAwait(false);
            ready = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OperationalException($"cannot reach a Glidepath gateway at {ShownUrl.Of(options.Gateway)}: {ex.Message}; start one with 'glidepath serve --env {options.Environment}'", ex);
        }

        var servedApp = ready?["app"]?.GetValue<string>();
        var servedEnv = ready?["environment"]?.GetValue<string>();
        if (servedApp != app || servedEnv != options.Environment)
        {
            throw new BadInputException($"the gateway at {ShownUrl.Of(options.Gateway)} serves {servedApp}@{servedEnv}, not {app}@{options.Environment}");
        }
    }

    /// <summary>
    /// Sends probes until <paramref name="options"/>.ConfirmProbes in a row are answered by <paramref name="expected"/>;
    /// returns when the first of that run was sent (ms after the phase began), or null if it never happened.
    /// </summary>
    private async Task<(double? ServedMs, List<DrillProbe> Probes)> ProbeUntilAsync(DrillOptions options, string expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var probes = new List<DrillProbe>();
        var streak = 0;
        double? runStart = null;
        var n = 0;
        while (time.GetElapsedTime(start) < timeout)
        {
            var batch = new Task<DrillProbe>[options.Concurrency];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = ProbeAsync(options, $"drill-probe-{n++}", start, routeOnly: true, cancellationToken);
            }

            foreach (var probe in (await Task.WhenAll(batch).ConfigureAwait(false)).OrderBy(p => p.SentMs))
            {
                probes.Add(probe);
                if (probe.ReleaseLabel == expected)
                {
                    runStart ??= probe.SentMs;
                    streak++;
                }
                else
                {
                    runStart = null;
                    streak = 0;
                }
            }

            if (streak >= options.ConfirmProbes)
            {
                return (runStart, probes);
            }
        }

        return (null, probes);
    }

    /// <summary>
    /// Full requests through the provider, sent while the drill holds the environment where the route probes just saw
    /// <paramref name="served"/> on every probe; their traces are checked for that release, or for the one a response
    /// named (a gateway whose environment sets <c>routing_headers: true</c>).
    /// </summary>
    private async Task<DrillProbe[]> TracedProbesAsync(DrillOptions options, string served, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var tasks = new Task<DrillProbe>[options.TracedProbes];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = ProbeAsync(options, $"drill-traced-{i}", start, routeOnly: false, cancellationToken);
        }

        var probes = await Task.WhenAll(tasks).ConfigureAwait(false);
        for (var i = 0; i < probes.Length; i++)
        {
            probes[i] = probes[i] with { ReleaseLabel = probes[i].ReleaseLabel ?? served };
        }

        return probes;
    }

    private async Task<DrillProbe> ProbeAsync(DrillOptions options, string subject, long phaseStart, bool routeOnly, CancellationToken cancellationToken)
    {
        var sent = time.GetElapsedTime(phaseStart).TotalMilliseconds;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Gateway, "/v1/chat/completions"))
        {
            Content = new StringContent($$"""{"model":"{{app}}","messages":[{"role":"user","content":"Rollback drill probe: reply with one word."}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Glidepath-Subject", subject);
        if (routeOnly)
        {
            request.Headers.Add("Glidepath-Probe", "route");
            if (ProbeToken is not null)
            {
                request.Headers.Add("Glidepath-Admin-Token", ProbeToken);
            }
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return new DrillProbe(sent, Header(response.Headers, "Glidepath-Release"), Header(response.Headers, "Glidepath-Trace"), (int)response.StatusCode);
        }
        catch (HttpRequestException)
        {
            return new DrillProbe(sent, null, null, 0);
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private async Task<(int Checked, int Mismatched, int Missing)> CheckTracesAsync(List<DrillProbe> probes, DrillOptions options, CancellationToken cancellationToken)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [options.Stable.Label] = options.Stable.Id,
            [options.Candidate.Label] = options.Candidate.Id,
        };
        var pending = probes.Where(p => p.Status == 200 && p.TraceId is not null && p.ReleaseLabel is not null).ToList();
        int checkedCount = 0, mismatched = 0;
        var deadline = time.GetTimestamp();

        // Traces reach the store through the gateway's batch writer: give it a few seconds.
        while (pending.Count > 0 && time.GetElapsedTime(deadline) < TimeSpan.FromSeconds(5))
        {
            var still = new List<DrillProbe>();
            foreach (var probe in pending)
            {
                var trace = await traces.GetAsync(probe.TraceId!, cancellationToken).ConfigureAwait(false);
                if (trace is null)
                {
                    still.Add(probe);
                    continue;
                }

                checkedCount++;
                if (!expected.TryGetValue(probe.ReleaseLabel!, out var id) || trace.ReleaseId != id)
                {
                    mismatched++;
                }
            }

            pending = still;
            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
            }
        }

        return (checkedCount, mismatched, pending.Count);
    }

    private async Task UndoAsync(DrillOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var state = await environments.GetAsync(app, options.Environment, cancellationToken).ConfigureAwait(false);
            if (state.Canary?.ReleaseId == options.Candidate.Id)
            {
                await ApplyAsync(state, state with { Canary = null }, "aborted", null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Progress?.Invoke($"could not take the drill's canary off ({ex.Message}); run: glidepath rollback --env {options.Environment}");
        }
    }

    private Task<EnvironmentState> ApplyAsync(EnvironmentState state, EnvironmentState next, string phase, JsonObject? details, CancellationToken cancellationToken)
    {
        details ??= [];
        details["phase"] = phase;
        return environments.ApplyAsync(new EnvironmentChange
        {
            App = app,
            Environment = state.Name,
            ExpectedRevision = state.Revision,
            NewState = next,
            Event = new EnvironmentEvent
            {
                App = app,
                Environment = state.Name,
                Revision = state.Revision + 1,
                Kind = Glidepath.Environments.EnvironmentEventKinds.Drill,
                Actor = Actor,
                Reason = phase == "result" ? "rollback drill" : $"rollback drill: {phase.Replace('_', ' ')}",
                Time = time.GetUtcNow(),
                FromReleaseId = state.StableReleaseId,
                ToReleaseId = next.Canary?.ReleaseId ?? next.StableReleaseId,
                DetailsJson = details.ToJsonString(),
            },
        }, cancellationToken);
    }

    /// <summary>Who runs the drill (set per run, recorded on every drill event).</summary>
    public string Actor { get; init; } = "glidepath";
}
