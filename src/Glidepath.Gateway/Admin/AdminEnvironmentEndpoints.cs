using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Gateway.Admin.Requests;
using Glidepath.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Glidepath.Gateway.Admin;

/// <summary>Status, history and the changes of an environment's stable pointer: the CLI's status, history, promote, rollback, freeze and unfreeze.</summary>
internal static class AdminEnvironmentEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        // Only the environments the caller holds a role in: a viewer of staging is refused production's history, traces
        // and metrics, so it must not read production's stable release, canary and freeze reason here either.
        group.Get("/status", "read status", Role.Viewer, async (HttpContext http, AdminServices s) =>
        {
            var principal = AdminPrincipal.Of(http);
            var rows = await EnvironmentReports.StatusRowsAsync(s.Options.Manifest, s.Store, name => principal.Allows(name, Role.Viewer), http.RequestAborted);
            return AdminResults.View(EnvironmentReports.Status(s.App, rows));
        }).WithTags("environments");

        group.Get("/environments/{env}/history", "read history", Role.Viewer, async (string env, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            var events = await s.Store.Environments.HistoryAsync(s.App, spec.Name, http.RequestAborted);
            return AdminResults.View(EnvironmentReports.History(s.App, spec.Name, events, await s.ViewsAsync(http.RequestAborted)));
        }).WithTags("environments");

        group.Post<PromoteRequest>("/environments/{env}/promote", "promote", Role.Deployer, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<PromoteRequest>(http);
            var spec = s.Environments.Spec(env);
            if (AdminPrincipal.RefuseOverride(http, spec.Name, body.Force) is { } refused)
            {
                return refused;
            }

            var release = await s.RegisteredAsync(body.Release, "release", AdminPrincipal.Of(http), http.RequestAborted);
            s.Resolver.Models?.EnsureServable(release.CanonicalJson);
            var outcome = await s.Environments.PromoteAsync(spec.Name, release, Actor(http), body.Reason, body.Force, http.RequestAborted);
            return await OutcomeAsync(s, outcome, http);
        }).WithTags("environments");

        group.Post<RollbackRequest>("/environments/{env}/rollback", "roll back", Role.Owner, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<RollbackRequest>(http);
            var spec = s.Environments.Spec(env);
            var to = body.To is null ? null : await s.RegisteredAsync(body.To, "to", AdminPrincipal.Of(http), http.RequestAborted);
            var outcome = await s.Rollouts.RollbackAsync(spec.Name, to, Actor(http), body.Reason, body.ExpectedRevision, http.RequestAborted);
            return await OutcomeAsync(s, outcome, http);
        }).WithTags("environments");

        group.Post<ReasonRequest>("/environments/{env}/freeze", "freeze", Role.Owner, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<ReasonRequest>(http);
            var spec = s.Environments.Spec(env);
            if (string.IsNullOrWhiteSpace(body.Reason))
            {
                throw new BadInputException("'reason' is required to freeze: it is shown to everyone refused while frozen");
            }

            var outcome = await s.Environments.FreezeAsync(spec.Name, Actor(http), body.Reason, http.RequestAborted);
            return await OutcomeAsync(s, outcome, http);
        }).WithTags("environments");

        group.Post<ReasonRequest>("/environments/{env}/unfreeze", "unfreeze", Role.Owner, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<ReasonRequest>(http);
            var spec = s.Environments.Spec(env);
            var outcome = await s.Environments.UnfreezeAsync(spec.Name, Actor(http), body.Reason, http.RequestAborted);
            return await OutcomeAsync(s, outcome, http);
        }).WithTags("environments");
    }

    /// <summary>The authenticated principal: the only actor an admin change is recorded with.</summary>
    internal static string Actor(HttpContext http) => AdminPrincipal.Of(http).Actor;

    private static async Task<IResult> OutcomeAsync(AdminServices s, EnvironmentOutcome outcome, HttpContext http) =>
        AdminResults.View(await EnvironmentReports.OutcomeAsync(s.Options.Manifest, s.Store, outcome, http.RequestAborted));
}
