using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Gateway.Admin.Requests;
using Glidepath.Models;
using Glidepath.Shadow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Glidepath.Gateway.Admin.AdminEnvironmentEndpoints;

namespace Glidepath.Gateway.Admin;

/// <summary>Shadow traffic: the CLI's <c>shadow status</c>, <c>shadow start</c> and <c>shadow stop</c>.</summary>
internal static class AdminShadowEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.Get("/environments/{env}/shadow", "read shadow status", Role.Viewer, async (string env, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            var status = await ShadowStatus.ReadAsync(s.Shadows, s.Store.Releases, s.App, spec.Name, http.RequestAborted,
                    http.Request.Query["shadow"].ToString() is { Length: > 0 } id ? id : null)
                ?? throw ShadowStatus.NoShadow(spec.Name);
            return AdminResults.View(status);
        }).WithTags("shadow");

        group.Get("/environments/{env}/shadows", "list shadows", Role.Viewer, async (string env, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            return AdminResults.View(await ShadowList.ReadAsync(s.Shadows, s.Store.Releases, s.App, spec.Name, http.RequestAborted));
        }).WithTags("shadow");

        group.Post<ShadowStartRequest>("/environments/{env}/shadow/start", "start a shadow", Role.Deployer, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<ShadowStartRequest>(http);
            var spec = s.Environments.Spec(env);
            var rate = body.Rate ?? throw new BadInputException("'rate' is required: the share of the stable release's requests mirrored, from 0.000001 to 1, e.g. \"rate\": 0.1");
            var release = await s.RegisteredAsync(body.Release, "release", AdminPrincipal.Of(http), http.RequestAborted);
            s.Resolver.Models?.EnsureServable(release.CanonicalJson);
            var shadow = await s.Shadows.StartAsync(spec.Name, release, rate, body.MaxCostUsd, body.MaxRequests, Actor(http), body.Reason, http.RequestAborted);
            var notes = await s.Shadows.StartNotesAsync(spec.Name, shadow, s.Store.Traces, http.RequestAborted);
            return await AnswerAsync(s, spec.Name, [.. notes.Select(n => AdminResults.InCallerTerms(http, n))], http);
        }).WithTags("shadow");

        group.Post<ReasonRequest>("/environments/{env}/shadow/stop", "stop a shadow", Role.Deployer, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<ReasonRequest>(http);
            var spec = s.Environments.Spec(env);
            var report = await s.Shadows.StopAsync(spec.Name, Actor(http), body.Reason, http.RequestAborted);
            return AdminResults.View(new ShadowAnswer(ShadowView.From(report, await s.ViewsAsync(http.RequestAborted)), []));
        }).WithTags("shadow");
    }

    private static async Task<IResult> AnswerAsync(AdminServices s, string environment, IReadOnlyList<string> notes, HttpContext http)
    {
        var report = await s.Shadows.ReportAsync(environment, http.RequestAborted)
            ?? throw new OperationalException($"the shadow just started in '{environment}' is not in its history");
        return AdminResults.View(new ShadowAnswer(ShadowView.From(report, await s.ViewsAsync(http.RequestAborted)), notes));
    }
}
