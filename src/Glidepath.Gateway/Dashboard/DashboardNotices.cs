using System.Text.Json;
using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard.Shared;
using Glidepath.Rollouts;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// What an environment's page says after an action redirected to it (<c>?done=rollback</c>, or <c>?unchanged=pause</c>
/// when the operation reported that nothing changed). A link can be crafted, so the page says only what the store shows:
/// a done-notice describes the signed-in principal's latest event in the environment's history, and only when that
/// event is of the action named (a viewer handed <c>?done=rollback</c> has no rollback event, and sees no notice); an
/// unchanged-notice only when the environment is in the state it names. No text of the request is ever shown.
/// </summary>
internal static class DashboardNotices
{
    public static async Task<string?> ReadAsync(IQueryCollection query, Principal principal, string? environment, AdminServices s, CancellationToken ct)
    {
        // Every action redirects to a page of its environment; a notice on any other page was not made by an action.
        if (environment is null)
        {
            return null;
        }

        var name = s.Environments.Spec(environment).Name;
        if (query["unchanged"].ToString() is { Length: > 0 } unchanged)
        {
            return await UnchangedAsync(unchanged, name, s, ct);
        }

        if (DashboardAction.Find(query["done"].ToString()) is not { } action)
        {
            return null;
        }

        var history = await s.Store.Environments.HistoryAsync(s.App, name, ct);
        var mine = history.LastOrDefault(e => e.Actor == principal.Actor);
        if (mine is null || mine.Kind != action.EventKind)
        {
            return null;
        }

        var e = (await s.ViewsAsync(ct)).Event(mine);
        var releases = e.From is null && e.To is null ? "" : ": " + e.ReleasesText;
        return $"Done: {action.Title.ToLowerInvariant()}. History records it as {e.ActorText} at revision {e.Revision} ({Fmt.Time(e.Time)}){releases}.{await EndedRolloutAsync(e, s, ct)}";
    }

    /// <summary>" Rollout ro-… ended (rolled_back): its canary was removed by this rollback." for a rollback that ended one, as the admin API's note says; else "".</summary>
    private static async Task<string> EndedRolloutAsync(EnvironmentEventView e, AdminServices s, CancellationToken ct)
    {
        if (e.Kind != EnvironmentEventKinds.Rollback || e.Details is not { ValueKind: JsonValueKind.Object } d
            || !d.TryGetProperty("rollout_id", out var id) || id.ValueKind != JsonValueKind.String
            || await s.Store.Rollouts.GetAsync(id.GetString()!, ct) is not { } rollout || rollout.IsActive)
        {
            return "";
        }

        return $" Rollout {rollout.Id} ended ({rollout.State}): its canary was removed by this rollback.";
    }

    private static async Task<string?> UnchangedAsync(string action, string environment, AdminServices s, CancellationToken ct)
    {
        switch (action)
        {
            case "freeze" or "unfreeze":
                var frozen = (await s.Store.Environments.GetAsync(s.App, environment, ct)).Frozen;
                return (action, frozen) switch
                {
                    ("freeze", true) => $"No change: {environment} is already frozen; nothing was recorded.",
                    ("unfreeze", false) => $"No change: {environment} is not frozen; nothing was recorded.",
                    _ => null,
                };
            case "pause" or "resume":
                var state = (await s.Store.Rollouts.ActiveAsync(s.App, environment, ct))?.State;
                return (action, state) switch
                {
                    ("pause", RolloutState.Paused) => $"No change: the rollout in {environment} is already paused; nothing was recorded.",
                    ("resume", RolloutState.Progressing) => $"No change: the rollout in {environment} is not paused; nothing was recorded.",
                    _ => null,
                };
            default:
                return null;
        }
    }
}
