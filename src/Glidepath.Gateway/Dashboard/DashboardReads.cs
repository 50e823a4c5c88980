using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Evals;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard.Models;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Serving;
using Glidepath.Serving.Routing;
using Glidepath.Traces;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// What the pages show, read the way the admin API reads it (<see cref="AdminReadEndpoints"/> and friends): the same
/// store calls, the same view builders (<see cref="EnvironmentViews"/>, <see cref="RolloutStatus"/>, <see cref="RolloutView"/>,
/// <see cref="JudgeView"/>, <see cref="DecisionView"/>), with typed results a page can render.
/// </summary>
internal sealed class DashboardReads(AdminServices s, IServiceProvider services)
{
    public string App => s.App;

    public async Task<EnvironmentsModel> EnvironmentsAsync(IReadOnlyList<string> readable, CancellationToken ct)
    {
        var rows = (await EnvironmentReports.StatusRowsAsync(s.Options.Manifest, s.Store, ct)).Where(r => readable.Contains(r.Name)).ToList();
        var names = await s.ViewsAsync(ct);
        var rollouts = new Dictionary<string, RolloutView?>(StringComparer.Ordinal);
        var leases = new Dictionary<string, ControllerLease?>(StringComparer.Ordinal);
        var harms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var active = await s.Store.Rollouts.ActiveAsync(App, row.Name, ct);
            rollouts[row.Name] = active is null ? null : RolloutView.From(active, names);
            leases[row.Name] = await s.Store.Rollouts.LeaseAsync(App, row.Name, ct);

            // Trial dash2 #1: the row said only that the shadow mirrors, while its judge said harm beside a canary of the
            // same release. Judged as shadow status judges it; a candidate now stable mirrors nothing and is not judged here.
            if (row.Shadow is { CandidateIsStable: false } shown
                && await s.Shadows.ReportAsync(row.Name, ct) is { Active: true, Decision.Outcome: Glidepath.Shadow.PairedOutcome.Harm } report
                && report.Shadow.ShadowId == shown.ShadowId)
            {
                harms[row.Name] = report.Decision.Reason;
            }
        }

        return new EnvironmentsModel(rows, rollouts, leases, harms, Gateway(readable), s.Options.Time.GetUtcNow());
    }

    /// <summary>The environment's latest rollout, or null when it never had one.</summary>
    public async Task<RolloutModel?> RolloutAsync(string environment, CancellationToken ct)
    {
        var rollout = await s.Store.Rollouts.LatestAsync(App, environment, ct);
        if (rollout is null)
        {
            return null;
        }

        var status = await RolloutStatus.ReadAsync(s.Store, rollout, s.Options.Time.GetUtcNow(), ct);
        return RolloutModel.From(status, await s.ViewsAsync(ct));
    }

    /// <summary>The environment's active or last shadow (with <paramref name="shadowId"/>, that one) as <c>shadow status --format json</c> prints it, or null when it never had one.</summary>
    public Task<Glidepath.Shadow.ShadowStatus?> ShadowAsync(string environment, CancellationToken ct, string? shadowId = null) =>
        Glidepath.Shadow.ShadowStatus.ReadAsync(s.Shadows, s.Store.Releases, App, environment, ct, shadowId);

    /// <summary>
    /// One page of the environment's history, newest first, below the revision <paramref name="before"/> (the API lists
    /// it oldest first; a timeline reads from the top), with the environment's status and what a rollback would leave
    /// stable: the page offers only the actions that apply. Read with the admin API's store calls, paged here; the
    /// status first, so the history read after it holds every event up to the status's revision.
    /// </summary>
    public async Task<(HistoryModel History, EnvironmentStatusView Status, ReleaseRefView? RollbackTo)> HistoryAsync(string environment, long? before, CancellationToken ct)
    {
        var name = s.Environments.Spec(environment).Name;
        var status = (await EnvironmentReports.StatusRowsAsync(s.Options.Manifest, s.Store, e => e == name, ct)).Single();
        var names = await s.ViewsAsync(ct);
        var events = await s.Store.Environments.HistoryAsync(App, name, ct);
        return (HistoryModel.Page(events, before, names), status, RollbackTarget(status, events, names));
    }

    /// <summary>
    /// What a rollback of <paramref name="status"/> would leave stable: with a canary, the stable release (the canary
    /// ends); otherwise the previous known-good release, or null when there is none.
    /// </summary>
    public async Task<ReleaseRefView?> RollbackTargetAsync(EnvironmentStatusView status, CancellationToken ct)
    {
        if (status.Canary is not null || status.Stable is null)
        {
            return status.Stable;
        }

        var history = await s.Store.Environments.HistoryAsync(App, status.Name, ct);
        return RollbackTarget(status, history, await s.ViewsAsync(ct));
    }

    /// <summary>The rule of <see cref="RollbackTargetAsync"/> over a history already read (the service's: <see cref="StableHistory.KnownGood"/>).</summary>
    private static ReleaseRefView? RollbackTarget(EnvironmentStatusView status, IReadOnlyList<EnvironmentEvent> history, EnvironmentViews names) =>
        status.Canary is not null || status.Stable is null ? status.Stable
        : StableHistory.KnownGood(history, status.Stable.Id) is [var target, ..] ? names.Ref(target) : null;

    public async Task<(EnvironmentViews Names, IReadOnlyList<Releases.Release> Releases)> ReleasesAsync(CancellationToken ct)
    {
        var releases = await s.Store.Releases.ListAsync(App, ct);
        return (new EnvironmentViews(releases), releases);
    }

    /// <summary>
    /// The Releases table's rows, as <c>glidepath release list</c> and the admin API's <c>GET /releases</c> read them
    /// (<see cref="Releases.ReleaseReports.ListAsync"/>): each release's newest message given, not its first registration's.
    /// </summary>
    public Task<IReadOnlyList<Releases.ReleaseView>> ReleaseRowsAsync(CancellationToken ct) => Releases.ReleaseReports.ListAsync(s.Store.Releases, App, ct);

    /// <summary>A registered release by <c>vN</c>, hash prefix or <c>env:NAME</c>, as the admin API resolves it.</summary>
    public Task<Releases.Release> ReleaseAsync(string reference, string field, Access.Principal caller, CancellationToken ct) => s.RegisteredAsync(reference, field, caller, ct);

    public async Task<GateModel> GateAsync(Releases.Release release, string? verdictId, CancellationToken ct)
    {
        var names = await s.ViewsAsync(ct);
        var verdicts = await s.Store.GateVerdicts.ListAsync(App, release.Id, ct);
        var chosen = verdictId is null ? verdicts.FirstOrDefault() : verdicts.FirstOrDefault(v => v.Id == verdictId)
            ?? throw new BadInputException($"gate verdict '{verdictId}' is not one of {release.Name}'s");
        var cases = chosen is null ? [] : await GateVerdictCases.ReadAsync(s.Store.EvalRuns, chosen, ct);
        return new GateModel(names.Ref(release.Id)!, verdicts, chosen, cases, names);
    }

    public async Task<TracesModel> TracesAsync(string environment, TraceFilter filter, Access.Principal caller, CancellationToken ct)
    {
        var releaseId = filter.Release is { Length: > 0 } r ? (await s.RegisteredAsync(r, "release", caller, ct)).Id : null;

        // The cursor names a trace of this environment, looked up as the trace page does: one of another environment is
        // "not found", like an unknown id, so a viewer learns nothing of it.
        var olderThan = filter.Before is { } before
            ? TraceCursor.At(await TraceLookup.FindAsync(s.Store.Traces, App, before, "the 'Older traces' link names the last trace of the page before (it may since have been deleted by retention); no traces are shown", ct, environment))
            : null;
        var traces = await s.Store.Traces.ListAsync(new TraceQuery
        {
            App = App,
            Environment = environment,
            ReleaseId = releaseId,
            Arm = filter.Arm is { Length: > 0 } arm ? arm : null,
            KeyName = filter.Key is { Length: > 0 } k ? k : null,
            ErrorsOnly = filter.Status == "failed",
            AnsweredOnly = filter.Status == "ok", // in the store, so the limit counts answered traces only
            CancelledOnly = filter.Status == "cancelled",
            OnlineFailedOnly = filter.OnlineFailed,
            OlderThan = olderThan,
            Limit = filter.Limit + 1, // one more than shown: whether an older page exists, without a query of its own
        }, ct);

        var older = traces.Count > filter.Limit ? traces[filter.Limit - 1].TraceId : null;
        var shown = older is null ? traces : traces.Take(filter.Limit).ToList();
        var (names, releases) = await ReleasesAsync(ct);
        return new TracesModel(filter, shown, [.. releases.Select(x => names.Ref(x.Id)!)], names, s.Prices, older);
    }

    public async Task<TraceModel> TraceAsync(string environment, string id, CancellationToken ct)
    {
        // As in the admin API: a viewer of one environment must not read another's traces by id, nor learn their ids by prefix.
        var trace = await TraceLookup.FindAsync(s.Store.Traces, App, id, "the traces page lists recent ones", ct, environment);

        var feedback = await s.Store.Traces.FeedbackAsync(trace.TraceId, ct);
        var pair = await Glidepath.Shadow.ShadowPairLookup.OfTraceAsync(s.Store.Environments, s.Store.Shadows, trace, ct);
        return new TraceModel(trace, feedback, await s.ViewsAsync(ct), s.Options.Manifest.Eval?.Dataset, s.Prices, pair);
    }

    public async Task<(IReadOnlyList<Monitoring.DriftAlert> Alerts, EnvironmentViews Names)> AlertsAsync(string environment, CancellationToken ct) =>
        (await s.Store.Monitor.ListAlertsAsync(App, environment, 50, ct), await s.ViewsAsync(ct));

    public async Task<IReadOnlyList<Checklist.ChecklistRow>> ChecklistAsync(Releases.Release release, string environment, CancellationToken ct) =>
        await new Checklist.ChecklistService(s.Options.Manifest, s.Store, s.Options.Time, new Checklist.ChecklistOptions())
            .RunAsync(release, s.Environments.Spec(environment), ct);

    /// <summary>This gateway's own state, only to a principal who may read the environment it serves.</summary>
    private GatewayHealth? Gateway(IReadOnlyList<string> readable)
    {
        if (services.GetService<ServingOptions>() is not { } serving || services.GetService<ControlPlaneStatus>() is not { } control
            || !readable.Contains(serving.Environment))
        {
            return null;
        }

        var table = services.GetService<RoutingTableSource>()?.Current;
        var c = control.Current;
        return new GatewayHealth(serving.Environment, table?.Revision, table?.Stable?.Label, table?.Canary?.Release.Label, table?.Canary?.Weight, c.Stale, c.LastOk, c.StaleSince, c.Reason);
    }
}
