using Glidepath.Gateway.Dashboard.Models;
using Glidepath.Gateway.Dashboard.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Dashboard;

/// <summary>The pages: each stands for the admin-API read it shows (and needs that read's role).</summary>
internal static class DashboardPageEndpoints
{
    private const string Api = AdminEndpointRouteBuilderExtensions.Prefix;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/environments", (HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<EnvironmentsPage>(http, "environments", "Environments", null, Api + "/status", async (page, ct) => new()
            {
                ["Model"] = await reads.EnvironmentsAsync(page.Environments, ct),
            }));

        group.MapGet("/env/{env}/rollout", (string env, HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<RolloutPage>(http, "rollout", "Rollout", env, Api + "/environments/{env}/rollout", async (page, ct) => new()
            {
                ["Model"] = await reads.RolloutAsync(env, ct),
            }));

        group.MapGet("/env/{env}/shadow", (string env, HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<ShadowPage>(http, "shadow", "Shadow", env, Api + "/environments/{env}/shadow", async (page, ct) => new()
            {
                ["Model"] = await reads.ShadowAsync(env, ct, http.Request.Query["shadow"].ToString() is { Length: > 0 } id ? id : null),
            }));

        group.MapGet("/env/{env}/history", (string env, HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<HistoryPage>(http, "history", "History", env, Api + "/environments/{env}/history", async (page, ct) =>
            {
                var (history, status, rollbackTo) = await reads.HistoryAsync(env, HistoryModel.ParseBefore(http.Request.Query["before"].ToString()), ct);
                return new() { ["Model"] = history, ["Status"] = status, ["RollbackTo"] = rollbackTo };
            }));

        group.MapGet("/env/{env}/traces", (string env, HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<TracesPage>(http, "traces", "Traces", env, Api + "/environments/{env}/traces", async (page, ct) => new()
            {
                ["Model"] = await reads.TracesAsync(env, TraceFilter.Parse(http.Request.Query), page.Principal, ct),
            }));

        group.MapGet("/env/{env}/traces/{id}", (string env, string id, HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<TracePage>(http, "traces", "Trace", env, Api + "/environments/{env}/traces/{id}", async (page, ct) => new()
            {
                ["Model"] = await reads.TraceAsync(env, id, ct),
            }));

        group.MapGet("/env/{env}/alerts", (string env, HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<AlertsPage>(http, "alerts", "Alerts", env, Api + "/environments/{env}/alerts", async (page, ct) =>
            {
                var (alerts, names) = await reads.AlertsAsync(env, ct);
                return new() { ["Alerts"] = alerts, ["Names"] = names };
            }));

        group.MapGet("/env/{env}/checklist", (string env, HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<ChecklistPage>(http, "checklist", "Checklist", env, Api + "/environments/{env}/history", async (page, ct) =>
            {
                var reference = http.Request.Query["release"].ToString() is { Length: > 0 } r ? r : "env:" + env;
                var release = await reads.ReleaseAsync(reference, "release", page.Principal, ct);
                var (names, releases) = await reads.ReleasesAsync(ct);
                return new() { ["Release"] = names.Ref(release.Id), ["Rows"] = await reads.ChecklistAsync(release, env, ct), ["Releases"] = releases.Select(x => names.Ref(x.Id)!).ToList() };
            }));

        group.MapGet("/releases", (HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<ReleasesPage>(http, "releases", "Releases", null, Api + "/releases", async (page, ct) =>
            {
                var (names, releases) = await reads.ReleasesAsync(ct);
                var q = http.Request.Query;
                IReadOnlyList<Glidepath.Releases.ReleaseChange>? changes = null;
                (string A, string B)? pair = null;
                if (q["a"].ToString() is { Length: > 0 } a && q["b"].ToString() is { Length: > 0 } b)
                {
                    var (ra, rb) = (await reads.ReleaseAsync(a, "a", page.Principal, ct), await reads.ReleaseAsync(b, "b", page.Principal, ct));
                    changes = Glidepath.Releases.ReleaseDiff.Compute(ra.Snapshot(), rb.Snapshot());
                    pair = (ra.Label, rb.Label);
                }

                return new() { ["Releases"] = releases, ["Rows"] = await reads.ReleaseRowsAsync(ct), ["Names"] = names, ["Changes"] = changes, ["Pair"] = pair };
            }));

        group.MapGet("/releases/{ref}/verdicts", (string @ref, HttpContext http, DashboardReads reads) =>
            DashboardRequest.PageAsync<GatePage>(http, "releases", "Gate verdicts", null, Api + "/releases/{ref}/verdicts/{id}/cases", async (page, ct) =>
            {
                var release = await reads.ReleaseAsync(@ref, "ref", page.Principal, ct);
                var verdict = http.Request.Query["verdict"].ToString() is { Length: > 0 } v ? v : null;
                return new() { ["Model"] = await reads.GateAsync(release, verdict, ct) };
            }));

        group.MapGet("/env/{env}/confirm/{action}", (string env, string action, HttpContext http) =>
            DashboardAction.Find(action) is not { } act
                ? Task.FromResult(Results.NotFound())
                : DashboardRequest.PageAsync<ConfirmPage>(http, "confirm", act.Title, env, act.AdminPattern, async (page, ct) =>
                {
                    var reads = http.RequestServices.GetRequiredService<DashboardReads>();
                    var model = await reads.EnvironmentsAsync([env], ct);
                    var target = act.Name == "rollback" ? await reads.RollbackTargetAsync(model.Rows[0], ct) : null;
                    var typed = http.Request.Query["reason"].ToString();
                    return new()
                    {
                        ["Action"] = act, ["Status"] = model.Rows[0], ["Rollout"] = model.Rollouts[env], ["RollbackTo"] = target, ["Reason"] = typed.Length > 0 ? typed : null,
                        ["From"] = ConfirmPage.Back(http.Request.Query["from"].ToString()),
                    };
                }));
    }
}
