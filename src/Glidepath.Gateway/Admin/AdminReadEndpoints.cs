using System.Globalization;
using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Evals;
using Glidepath.Releases;
using Glidepath.Traces;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Glidepath.Gateway.Admin;

/// <summary>Releases, gate verdicts and traces: the CLI's release list/show and traces list/show.</summary>
internal static class AdminReadEndpoints
{
    private const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder group)
    {
        group.Get("/releases", "list releases", Role.Viewer, async (HttpContext http, AdminServices s) =>
            AdminResults.View(await ReleaseReports.ListAsync(s.Store.Releases, s.App, http.RequestAborted))).WithTags("releases");

        group.Get("/releases/{ref}", "show a release", Role.Viewer, async (string @ref, HttpContext http, AdminServices s) =>
        {
            var release = await s.RegisteredAsync(@ref, "ref", AdminPrincipal.Of(http), http.RequestAborted);
            var provenance = await s.Store.Releases.ProvenanceAsync(release.App, release.Id, http.RequestAborted);
            return AdminResults.View(ReleaseReports.Show(release, provenance));
        }).WithTags("releases");

        group.Get("/releases/{ref}/verdicts", "read gate verdicts", Role.Viewer, async (string @ref, HttpContext http, AdminServices s) =>
        {
            var release = await s.RegisteredAsync(@ref, "ref", AdminPrincipal.Of(http), http.RequestAborted);
            var verdicts = await s.Store.GateVerdicts.ListAsync(s.App, release.Id, http.RequestAborted);
            return AdminResults.View(GateVerdictReports.List(release.Id, verdicts, await s.ViewsAsync(http.RequestAborted)));
        }).WithTags("releases");

        group.Get("/releases/{ref}/verdicts/{id}/cases", "read a gate verdict's failed cases", Role.Viewer, async (string @ref, string id, HttpContext http, AdminServices s) =>
        {
            var release = await s.RegisteredAsync(@ref, "ref", AdminPrincipal.Of(http), http.RequestAborted);
            var verdicts = await s.Store.GateVerdicts.ListAsync(s.App, release.Id, http.RequestAborted);
            var verdict = id == "latest" ? verdicts.FirstOrDefault()
                : verdicts.FirstOrDefault(v => v.Id == id) ?? throw new BadInputException($"gate verdict '{id}' is not one of {release.Name}'s; 'GET /admin/v1/releases/{release.Name}/verdicts' lists them");
            var cases = verdict is null ? [] : await GateVerdictCases.ReadAsync(s.Store.EvalRuns, verdict, http.RequestAborted);
            return AdminResults.View(GateVerdictReports.Cases(release.Id, verdict, cases, await s.ViewsAsync(http.RequestAborted)));
        }).WithTags("releases");

        group.Get("/environments/{env}/traces", "list traces", Role.Viewer, async (string env, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            var q = http.Request.Query;
            var releaseId = q["release"].ToString() is { Length: > 0 } r ? (await s.RegisteredAsync(r, "release", AdminPrincipal.Of(http), http.RequestAborted)).Id : null;
            var limit = Limit(q["limit"], 20);
            var traces = await s.Store.Traces.ListAsync(new TraceQuery
            {
                App = s.App,
                Environment = spec.Name,
                ReleaseId = releaseId,
                Arm = Glidepath.Routing.Arm.Checked(q["arm"].ToString() is { Length: > 0 } a ? a : null, "query parameter 'arm'"),
                KeyName = q["key"].ToString() is { Length: > 0 } k ? k : null,
                Since = q["since"].ToString() is { Length: > 0 } since ? s.Options.Time.GetUtcNow() - Since(since) : null,
                ErrorsOnly = Flag(q, "failed"),
                CancelledOnly = Flag(q, "cancelled"),
                OnlineFailedOnly = Flag(q, "online_failed"),
                NegativeFeedbackOnly = Flag(q, "negative_feedback"),
                Limit = limit + 1, // one more than listed: whether more match
            }, http.RequestAborted);
            var more = traces.Count > limit;
            return AdminResults.View(TraceReports.List(s.App, spec.Name, more ? [.. traces.Take(limit)] : traces, await s.ViewsAsync(http.RequestAborted), s.Prices, more));
        }).WithTags("traces");

        group.Get("/environments/{env}/traces/{id}", "show a trace", Role.Viewer, async (string env, string id, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            // A viewer of one environment must not read another's traces by id, nor learn their ids by prefix.
            var trace = await TraceLookup.FindAsync(s.Store.Traces, s.App, id, $"'GET /admin/v1/environments/{spec.Name}/traces' lists recent ones", http.RequestAborted, spec.Name);

            var feedback = await s.Store.Traces.FeedbackAsync(trace.TraceId, http.RequestAborted);
            var pair = await Glidepath.Shadow.ShadowPairLookup.OfTraceAsync(s.Store.Environments, s.Store.Shadows, trace, http.RequestAborted);
            return AdminResults.View(TraceReports.Show(trace, feedback, await s.ViewsAsync(http.RequestAborted), s.Prices, pair));
        }).WithTags("traces");
    }

    private static TimeSpan Since(string text) =>
        Glidepath.Manifests.DurationParser.TryParse(text, out var span) && span > TimeSpan.Zero
            ? span
            : throw new BadInputException($"since '{text}' is not a duration; expected e.g. 15m, 1h, 7d");

    private static bool Flag(IQueryCollection query, string name) =>
        query[name] is { Count: > 0 } value && (value[0] is "" or "true" or "1" ? true : value[0] is "false" or "0" ? false
            : throw new BadInputException($"query parameter '{name}' is '{value[0]}'; expected true or false (or 1, 0)"));

    internal static int Limit(Microsoft.Extensions.Primitives.StringValues value, int fallback) =>
        value.Count == 0 ? fallback
        : int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit ? n
        : throw new BadInputException($"limit '{value[0]}' is not a whole number from 1 to {MaxLimit}");
}
