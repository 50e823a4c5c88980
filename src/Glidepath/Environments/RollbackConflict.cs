using System.Globalization;
using Glidepath.Errors;

namespace Glidepath.Environments;

/// <summary>
/// The refusal of a rollback whose environment changed after the operator (or the command) looked at it. Rolling back
/// is "one step back from whatever is stable now", so acting on a stale view takes a second step nobody saw: the
/// refusal names what changed and says nothing was rolled back.
/// </summary>
public static class RollbackConflict
{
    /// <summary>At most this many of the changes since are named (the latest ones).</summary>
    private const int Shown = 3;

    /// <param name="history">The environment's history, oldest first.</param>
    /// <param name="name">Display names of releases (v3).</param>
    public static PolicyException ChangedSince(string environment, long seenRevision, long currentRevision, IReadOnlyList<EnvironmentEvent> history, Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(name);
        var since = history.Where(e => e.Revision > seenRevision).ToList();
        var shown = since.Skip(Math.Max(0, since.Count - Shown)).Select(e => Describe(e, name));
        var more = since.Count > Shown ? $" (and {since.Count - Shown} earlier)" : "";
        return new PolicyException(
            $"environment '{environment}' changed since it was looked at (revision {seenRevision}, now {currentRevision}): " +
            $"{string.Join("; ", shown)}{more}. Nothing was rolled back by this request. " +
            $"Look at it again (glidepath status; glidepath history --env {environment}) and roll back only if it is still needed");
    }

    /// <summary>
    /// One event in the words of <c>glidepath history</c> (<see cref="EnvironmentEventView.ReleasesText"/>): "v3 → v2" only
    /// for a move of the stable pointer, "canary v2 vs stable v1" for a rollout event that did not move it.
    /// </summary>
    private static string Describe(EnvironmentEvent e, Func<string, string> name)
    {
        ReleaseRefView? Ref(string? id) => id is null ? null : new ReleaseRefView(name(id), id, name(id));
        var view = new EnvironmentEventView(e.Revision, e.Kind, e.Time, e.Actor, e.Reason, Ref(e.FromReleaseId), Ref(e.ToReleaseId), e.Forced, null);
        var move = view.From is null && view.To is null ? "" : " " + view.ReleasesText;
        var why = string.IsNullOrWhiteSpace(e.Reason) ? "" : $" (\"{e.Reason}\")";
        return string.Create(CultureInfo.InvariantCulture, $"{e.Kind}{move} by {e.Actor} at {e.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{why}");
    }
}
