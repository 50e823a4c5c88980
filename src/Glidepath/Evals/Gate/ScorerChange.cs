using Glidepath.Evals.Scorers;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>
/// How the checkout's <c>eval.scorers</c> differ from the manifest's at the baseline's commit: a scorer added or removed, an
/// option (<c>ignore_case</c>, a threshold, the judge's <c>pass</c> mark), the content of a rubric or schema a scorer reads.
/// Loosening a scorer lowers the bar as a rule change does (outside trial ciflow #2: <c>ignore_case: true</c> turned a block
/// into a pass), so every report says so, with who changed it (<see cref="BaselineFork"/>).
/// </summary>
/// <param name="Message">One sentence for every report.</param>
/// <param name="ChangedBy">Who changed them; null when that cannot be told (no merge base).</param>
/// <param name="BaselineScorerVersion">The scorer version at the baseline's commit; null when a file it reads is not there.</param>
/// <param name="Changes">Each difference, in the order of the checkout's scorers, then the scorers it no longer has.</param>
public sealed record ScorerChange(string Message, ChangedBy? ChangedBy, string? BaselineScorerVersion, IReadOnlyList<ScorerDifference> Changes)
{
    /// <summary>The most differences a message names; the JSON lists every one.</summary>
    public const int MaxNamed = 10;

    private const string Presence = "scorer";

    /// <summary>The warning's title in a list of tests (JUnit): who changed which scorers.</summary>
    public string Title => $"eval.scorers {ChangedBy switch
    {
        Gate.ChangedBy.ThisChange => "were changed by this change",
        Gate.ChangedBy.BaseBranch => "differ from the baseline's: changed on the base branch since this branch forked",
        Gate.ChangedBy.Both => "were changed by this change and on the base branch",
        _ => "were changed by this change or on the base branch",
    }}: {string.Join(", ", Changes.Select(c => c.Scorer).Distinct(StringComparer.Ordinal))}";

    /// <summary>What a reader of the markdown, HTML and JUnit reports should do, after the message; "" when the message says it.</summary>
    public string Action => ChangedBy switch
    {
        Gate.ChangedBy.ThisChange => "This verdict was scored with the changed scorers: review eval.scorers (and the files they read) in this change.",
        Gate.ChangedBy.BaseBranch => "",
        _ => "Review eval.scorers (and the files they read) in this change.",
    };

    /// <summary>The warning as the text output and stderr print it.</summary>
    public string Line => ChangedBy == Gate.ChangedBy.ThisChange ? $"{Message}; this verdict was scored with the changed scorers" : Message;

    /// <summary>
    /// The differences between <paramref name="current"/> (the checkout's scorers, whose files <paramref name="readCurrent"/>
    /// reads) and the baseline's in <paramref name="fork"/>, or null when there is none. Scorers are matched by name
    /// (<see cref="ScorerSet.NamesOf"/>), so reordering them is no change.
    /// </summary>
    public static ScorerChange? Of(IReadOnlyList<ScorerSpec> current, Func<string, byte[]> readCurrent, BaselineFork fork)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(readCurrent);
        ArgumentNullException.ThrowIfNull(fork);
        var now = Values(current, path =>
        {
            try
            {
                return readCurrent(path);
            }
            catch (Exception ex) when (ex is Errors.GlidepathException or IOException or UnauthorizedAccessException)
            {
                return null;
            }
        });
        var was = Values(fork.Baseline.Eval.Scorers, fork.Baseline.TryRead);
        var atFork = fork.AtMergeBase is not { } m ? null : ReferenceEquals(m, fork.Baseline) ? was : Values(m.Eval.Scorers, m.TryRead);
        var changes = new List<ScorerDifference>();
        foreach (var key in now.Keys.Concat(was.Keys.Where(k => !now.ContainsKey(k))))
        {
            var (candidate, baseline) = (now.GetValueOrDefault(key), was.GetValueOrDefault(key));
            var scorerOnBothSides = now.ContainsKey((key.Scorer, Presence, "")) && was.ContainsKey((key.Scorer, Presence, ""));
            if (string.Equals(candidate, baseline, StringComparison.Ordinal) || (key.Kind != Presence && !scorerOnBothSides))
            {
                // A scorer added or removed is one difference, not one per option.
                continue;
            }

            var change = key.Kind == Presence ? (candidate is null ? "removed" : "added") : key.Kind;
            var by = BaselineFork.Attribute(atFork is not null, candidate, baseline, atFork?.GetValueOrDefault(key));
            changes.Add(new ScorerDifference(key.Scorer, change, key.Kind == Presence ? null : key.Name, baseline, candidate, by));
        }

        if (changes.Count == 0)
        {
            return null;
        }

        var overall = BaselineFork.Overall(changes.Select(c => c.ChangedBy));
        string Named(IEnumerable<ScorerDifference> which, Func<ScorerDifference, (string? From, string? To)> direction)
        {
            var list = which.ToList();
            return string.Join("; ", list.Take(MaxNamed).Select(c => c.Describe(direction(c).From, direction(c).To))) + (list.Count > MaxNamed ? "; …" : "");
        }

        string? AtFork(ScorerDifference c) => atFork!.GetValueOrDefault(Key(c));
        var message = overall switch
        {
            Gate.ChangedBy.ThisChange => $"eval.scorers were changed by this change: {Named(changes, c => (c.Baseline, c.Candidate))}",
            Gate.ChangedBy.BaseBranch =>
                $"eval.scorers differ from {fork.BaselineName}: {fork.BaseName} changed them since this branch forked ({Named(changes, c => (c.Candidate, c.Baseline))}); " +
                $"this change is scored with its own; {fork.MergeAdvice} to be scored with {fork.Theirs}",
            Gate.ChangedBy.Both =>
                $"eval.scorers were changed by this change and on {fork.BaseName} since this branch forked " +
                $"(this change: {Named(changes.Where(c => c.ChangedBy != Gate.ChangedBy.BaseBranch), c => (AtFork(c), c.Candidate))}; " +
                $"{fork.BaseName}: {Named(changes.Where(c => c.ChangedBy != Gate.ChangedBy.ThisChange), c => (AtFork(c), c.Baseline))}); " +
                $"this verdict was scored with this change's; {fork.MergeAdvice} to be scored with {fork.Theirs}",
            _ => $"eval.scorers differ from {fork.BaselineName}: {Named(changes, c => (c.Baseline, c.Candidate))}, changed by this change or on {fork.BaseName} since this branch forked; " +
                 $"{fork.UnknownNote}; this verdict was scored with this change's",
        };
        return new ScorerChange(message, overall, BaselineVersion(fork.Baseline), changes);
    }

    private static (string Scorer, string Kind, string Name) Key(ScorerDifference c) => c.Change is "added" or "removed" ? (c.Scorer, Presence, "") : (c.Scorer, c.Change, c.Name!);

    /// <summary>
    /// Every value that shapes the scorers, by (scorer, kind, name) in declaration order: each scorer's presence, each option
    /// as JSON text (not the judge's spend cap: <see cref="ScorerSet.Unversioned"/>), and the sha256 of each file it reads ("(unreadable)" when it cannot be read).
    /// </summary>
    private static Dictionary<(string Scorer, string Kind, string Name), string?> Values(IReadOnlyList<ScorerSpec> specs, Func<string, byte[]?> read)
    {
        var names = ScorerSet.NamesOf(specs);
        var values = new Dictionary<(string, string, string), string?>();
        for (var i = 0; i < specs.Count; i++)
        {
            values[(names[i], Presence, "")] = specs[i].Type;
            foreach (var (option, value) in specs[i].Options.Where(o => !ScorerSet.Unversioned(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                values[(names[i], "option", option)] = value?.ToJsonString() ?? "null";
            }

            foreach (var fileOption in ScorerSet.FileOptions)
            {
                if (specs[i].GetString(fileOption) is { } path)
                {
                    values[(names[i], "file", fileOption)] = read(path) is { } bytes ? Releases.ReleaseBuilder.HashHex(bytes) : "(unreadable)";
                }
            }
        }

        return values;
    }

    private static string? BaselineVersion(BaselineEval baseline)
    {
        try
        {
            return ScorerSet.VersionOf(baseline.Eval.Scorers, path => baseline.TryRead(path) ?? throw new FileNotFoundException(path));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
