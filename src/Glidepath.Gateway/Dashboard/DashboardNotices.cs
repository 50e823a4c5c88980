using Glidepath.Access;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// What a page says after an action redirected to it (<c>?done=rollback</c>, or <c>?unchanged=pause</c> when the
/// operation reported that nothing changed, as freeze, unfreeze, pause and resume can): one of a fixed set of sentences
/// chosen by the server, so a crafted link cannot make the dashboard display text of its own (the environment named is
/// the page's, one of the manifest's).
/// </summary>
internal static class DashboardNotices
{
    public static string? Text(string done, string unchanged, Principal principal, string? environment)
    {
        if (unchanged.Length > 0)
        {
            var where = environment ?? "the environment";
            return unchanged switch
            {
                "freeze" => $"No change: {where} is already frozen; nothing was recorded.",
                "unfreeze" => $"No change: {where} is not frozen; nothing was recorded.",
                "pause" => $"No change: the rollout in {where} is already paused; nothing was recorded.",
                "resume" => $"No change: the rollout in {where} is not paused; nothing was recorded.",
                // An action added later without a sentence of its own still says that nothing happened.
                _ => DashboardAction.Find(unchanged) is { } other ? $"No change: {other.Title.ToLowerInvariant()} changed nothing; nothing was recorded." : null,
            };
        }

        if (done == "evalset")
        {
            return "The trace was added to the eval set as a frozen case.";
        }

        return DashboardAction.Find(done) is { } action
            ? $"Done: {action.Title.ToLowerInvariant()}. History records it as {principal.Actor}."
            : null;
    }
}
