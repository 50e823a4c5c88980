using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Gateway.Admin.Requests;
using Glidepath.Models;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Glidepath.Gateway.Admin.AdminEnvironmentEndpoints;

namespace Glidepath.Gateway.Admin;

/// <summary>A canary rollout: the CLI's rollout start, status, pause, resume, abort and promote.</summary>
internal static class AdminRolloutEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.Get("/environments/{env}/rollout", "read rollout status", Role.Viewer, async (string env, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            var rollout = await s.Store.Rollouts.LatestAsync(s.App, spec.Name, http.RequestAborted)
                ?? throw RolloutReports.NoRollout(spec.Name);
            var status = await RolloutStatus.ReadAsync(s.Store, rollout, s.Options.Time.GetUtcNow(), http.RequestAborted);
            return AdminResults.View(RolloutReports.Status(status, await s.ViewsAsync(http.RequestAborted)));
        }).WithTags("rollouts");

        group.Post<RolloutStartRequest>("/environments/{env}/rollout/start", "start a rollout", Role.Deployer, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<RolloutStartRequest>(http);
            var spec = s.Environments.Spec(env);
            if (AdminPrincipal.RefuseOverride(http, spec.Name, body.Force) is { } refused)
            {
                return refused;
            }

            var release = await s.RegisteredAsync(body.Release, "release", AdminPrincipal.Of(http), http.RequestAborted);
            s.Resolver.Models?.EnsureServable(release.CanonicalJson);
            if (body.RequireShadow)
            {
                await s.Shadows.RequirePassedAsync(spec.Name, release, http.RequestAborted);
            }

            var plan = RolloutService.PlanFrom(s.Options.Manifest, RolloutSteps.Parse(body.Steps), body.MinRequests, Duration(body.MaxDuration));
            // The assessment's note (a harm judged against an earlier stable: said, not refused), as a local start says it.
            var (rollout, assessed) = await s.Rollouts.StartAssessedAsync(spec.Name, release, plan, Actor(http), body.Reason, body.Force, http.RequestAborted);
            var (startNote, judgedBy) = await s.Rollouts.StartNoteAsync(rollout, release, http.RequestAborted);
            return AdminResults.View(RolloutReports.Started(rollout, await s.ViewsAsync(http.RequestAborted), RolloutService.JoinNotes(assessed.HarmNote, startNote), judgedBy));
        }).WithTags("rollouts");

        MapChange(group, "pause", "pause a rollout", Role.Deployer, (s, env, actor, reason, ct) => s.Rollouts.PauseAsync(env, actor, reason, ct));
        MapChange(group, "resume", "resume a rollout", Role.Deployer, (s, env, actor, reason, ct) => s.Rollouts.ResumeAsync(env, actor, reason, ct));
        MapChange(group, "abort", "abort a rollout", Role.Owner, async (s, env, actor, reason, ct) => new RolloutChange(await s.Rollouts.AbortAsync(env, actor, reason, ct), true));

        group.Post<RolloutPromoteRequest>("/environments/{env}/rollout/promote", "promote a rollout", Role.Deployer, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<RolloutPromoteRequest>(http);
            var spec = s.Environments.Spec(env);
            var rollout = await s.Rollouts.PromoteAsync(spec.Name, body.Full, Actor(http), body.Reason, http.RequestAborted);
            return await ChangedAsync(s, new RolloutChange(rollout, true), http);
        }).WithTags("rollouts");
    }

    private static void MapChange(RouteGroupBuilder group, string verb, string operation, Role role, Func<AdminServices, string, string, string?, CancellationToken, Task<RolloutChange>> act) =>
        group.Post<ReasonRequest>($"/environments/{{env}}/rollout/{verb}", operation, role, async (string env, HttpContext http, AdminServices s) =>
        {
            var body = await AdminBody.ReadAsync<ReasonRequest>(http);
            var spec = s.Environments.Spec(env);
            var change = await act(s, spec.Name, Actor(http), body.Reason, http.RequestAborted);
            return await ChangedAsync(s, change, http);
        }).WithTags("rollouts");

    private static async Task<IResult> ChangedAsync(AdminServices s, RolloutChange change, HttpContext http)
    {
        var last = change.Changed ? (await s.Store.Rollouts.DecisionsAsync(change.Rollout.Id, http.RequestAborted))[^1] : null;
        return AdminResults.View(RolloutReports.Changed(change.Rollout, last, await s.ViewsAsync(http.RequestAborted)));
    }

    private static TimeSpan? Duration(string? text) => DurationParser.Positive(text, "max_duration", "30s, 10m, 1h");
}
