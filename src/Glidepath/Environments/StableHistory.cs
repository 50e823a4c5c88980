namespace Glidepath.Environments;

/// <summary>
/// What an environment's history says about its stable releases: which releases have been stable, which
/// were rolled back from, and which are known-good rollback targets. Pure; the input is oldest first.
/// </summary>
public static class StableHistory
{
    /// <summary>True when <paramref name="releaseId"/> has ever been the environment's stable release.</summary>
    public static bool HasBeenStable(IEnumerable<EnvironmentEvent> history, string releaseId) =>
        history.Any(e => EnvironmentEventKinds.ChangesStable(e.Kind) && e.ToReleaseId == releaseId);

    /// <summary>
    /// The last rollback that took <paramref name="releaseId"/> off the stable (not one that only cleared its canary: the
    /// stable before it was the release), when no event has made it the stable again since; null otherwise. The
    /// checklist's canary-first row and promote's note read it (trial newcomer4 M3).
    /// </summary>
    public static EnvironmentEvent? RolledBackAndNotStableSince(IReadOnlyList<EnvironmentEvent> history, string releaseId)
    {
        string? stable = null;
        EnvironmentEvent? back = null;
        foreach (var e in history.OrderBy(e => e.Revision))
        {
            if (!EnvironmentEventKinds.ChangesStable(e.Kind))
            {
                continue;
            }

            if (e.Kind == EnvironmentEventKinds.Rollback && e.FromReleaseId == releaseId && stable == releaseId)
            {
                back = e;
            }
            else if (e.ToReleaseId == releaseId)
            {
                back = null;
            }

            stable = e.ToReleaseId ?? stable;
        }

        return back;
    }

    /// <summary>The release <paramref name="releaseId"/> replaced when it last became stable, or null (it never did, or replaced nothing).</summary>
    public static string? Replaced(IEnumerable<EnvironmentEvent> history, string releaseId) =>
        history.LastOrDefault(e => EnvironmentEventKinds.ChangesStable(e.Kind) && e.ToReleaseId == releaseId && e.FromReleaseId != releaseId)?.FromReleaseId;

    /// <summary>
    /// Releases rolled back from since they last became stable by a deploy or promotion, and releases a rollback
    /// skipped over (<c>rollback --to v1</c> from v3 distrusts v2 too: a later plain rollback must not move forward to
    /// it). A release promoted again after that is trusted again: it passed the policy a second time.
    /// </summary>
    public static IReadOnlySet<string> RolledBackFrom(IEnumerable<EnvironmentEvent> history)
    {
        var bad = new HashSet<string>(StringComparer.Ordinal);
        var stints = new List<string>(); // releases in the order they last became stable, the latest last
        foreach (var e in history.OrderBy(e => e.Revision))
        {
            if (e.Kind == EnvironmentEventKinds.Rollback && e.FromReleaseId is { } from)
            {
                bad.Add(from);
            }

            if (!EnvironmentEventKinds.ChangesStable(e.Kind) || e.ToReleaseId is not { } to)
            {
                continue;
            }

            if (e.Kind == EnvironmentEventKinds.Rollback)
            {
                var at = stints.LastIndexOf(to);
                for (var i = at + 1; at >= 0 && i < stints.Count; i++)
                {
                    bad.Add(stints[i]);
                }
            }
            else
            {
                bad.Remove(to);
            }

            stints.Remove(to);
            stints.Add(to);
        }

        return bad;
    }

    /// <summary>
    /// Known-good rollback targets, most recent first: releases that were stable before, other than
    /// <paramref name="currentStableId"/>, and not rolled back from.
    /// </summary>
    public static IReadOnlyList<string> KnownGood(IReadOnlyList<EnvironmentEvent> history, string? currentStableId)
    {
        var bad = RolledBackFrom(history);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var e in history.OrderByDescending(e => e.Revision))
        {
            if (!EnvironmentEventKinds.ChangesStable(e.Kind) || e.ToReleaseId is not { } id || !seen.Add(id))
            {
                continue;
            }

            if (id != currentStableId && !bad.Contains(id))
            {
                result.Add(id);
            }
        }

        return result;
    }
}
