using Glidepath.Access;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// What a page says after an action redirected to it (<c>?done=rollback</c>): one of a fixed set of sentences chosen by
/// the server, so a crafted link cannot make the dashboard display text of its own.
/// </summary>
internal static class DashboardNotices
{
    public static string? Text(string code, Principal principal)
    {
        if (code == "evalset")
        {
            return "The trace was added to the eval set as a frozen case.";
        }

        return DashboardAction.Find(code) is { } action
            ? $"Done: {action.Title.ToLowerInvariant()}. History records it as {principal.Actor}."
            : null;
    }
}
