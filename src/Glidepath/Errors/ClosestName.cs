namespace Glidepath.Errors;

/// <summary>
/// The known name a mistyped one most likely meant, for a "did you mean" in an error: a mistyped command or option, a
/// tool or a template variable a few typos away from one that exists (<c>memberlevel</c> for <c>member_level</c>).
/// </summary>
public static class ClosestName
{
    /// <summary>
    /// The name of <paramref name="known"/> nearest to <paramref name="typed"/> (ties: the first in ordinal order), when it
    /// is at most one edit away, or two for a name of six characters or more; null when none is that close, or when
    /// <paramref name="typed"/> is itself one of them.
    /// </summary>
    public static string? Of(string typed, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(known);
        var limit = MaxDistance(typed);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            if (string.Equals(name, typed, StringComparison.Ordinal))
            {
                return null;
            }

            // The distance is at least the difference in length: a name that far apart is never computed, so a long typed
            // name (an untrusted body's key) costs no more than its length (outside review of newcomer4 L6, H1).
            if (Math.Abs(name.Length - typed.Length) > limit)
            {
                continue;
            }

            var distance = Distance(typed, name);
            if (distance <= limit && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(name, best) < 0)))
            {
                (best, bestDistance) = (name, distance);
            }
        }

        return best;
    }

    /// <summary>"; did you mean 'X'?" for the name of <paramref name="known"/> nearest <paramref name="typed"/> (<see cref="Of"/>), else "".</summary>
    public static string Suggestion(string typed, IEnumerable<string> known) =>
        Of(typed, known) is { } close ? $"; did you mean '{close}'?" : "";

    /// <summary>How many edits a typo of <paramref name="typed"/> may be: one, or two for six characters or more (leading dashes not counted).</summary>
    public static int MaxDistance(string typed) => Math.Max(1, Math.Min(2, (typed ?? "").TrimStart('-').Length / 3));

    /// <summary>Edit distance with transpositions (optimal string alignment), ignoring case: "relase" is one from "release".</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
