using Glidepath.Access;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// What a page says after an action redirected to it (<c>?done=rollback</c>, or <c>?unchanged=freeze</c> when the
/// operation reported that nothing changed): one of a fixed set of sentences chosen by the server, so a crafted link
/// cannot make the dashboard display text of its own (the environment named is the page's, one of the manifest's).
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
                _ => null,
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
