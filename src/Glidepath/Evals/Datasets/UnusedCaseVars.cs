using System.Globalization;
using Glidepath.Releases;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// The <c>input.vars</c> names of a dataset that no template of the run's releases uses, counted over the file: a typo
/// (<c>memberlevel</c> for <c>member_level</c>) leaves the case running with another value while its author believes it
/// tested this one. A warning, not an error: a var no template uses changes nothing, and a promptfoo import keeps every
/// var of its tests on purpose. One line per name (how many cases, the first), at most <see cref="MaxNames"/> names.
/// </summary>
internal sealed class UnusedCaseVars(ReleaseNames releases, string file)
{
    /// <summary>The most names given a line of their own; the rest are counted in one more line.</summary>
    public const int MaxNames = 10;

    private readonly Dictionary<string, (int Cases, int FirstLine)> _unused = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _known = new(StringComparer.Ordinal);

    public void Add(EvalCase c)
    {
        foreach (var name in c.Vars.Keys)
        {
            if (!_known.TryGetValue(name, out var used))
            {
                used = releases.UsesVariable(name);
                _known[name] = used;
            }

            if (!used)
            {
                _unused[name] = _unused.TryGetValue(name, out var seen) ? (seen.Cases + 1, seen.FirstLine) : (1, c.Line);
            }
        }
    }

    /// <summary>The warnings, in the order the names first appear in the file.</summary>
    public IReadOnlyList<string> Warnings()
    {
        var ordered = _unused.OrderBy(kv => kv.Value.FirstLine).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var lines = ordered.Take(MaxNames).Select(kv => string.Create(CultureInfo.InvariantCulture,
            $"{file}:{kv.Value.FirstLine}: input.vars '{kv.Key}' (set by {kv.Value.Cases} case(s), the first on this line) is ignored: {releases.UnusedVariable(kv.Key)}")).ToList();
        if (ordered.Count > MaxNames)
        {
            var rest = ordered.Skip(MaxNames).ToList();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{file}: {rest.Count} more input.vars name(s) no template uses are ignored ({string.Join(", ", rest.Take(5).Select(kv => "'" + kv.Key + "'"))}{(rest.Count > 5 ? ", …" : "")})"));
        }

        return lines;
    }
}
