using Glidepath.Releases;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// The checks <see cref="DatasetScan"/> makes of each parsed case: what the run's scorers read, and, once the run's release
/// names are known, the tools its cases expect and the vars they set. A case checked later than it was parsed (it waited
/// for the names) puts its problems where they would have been had it been checked at once: after the problems of the
/// lines before it, before those of the lines after it.
/// </summary>
internal sealed class CaseChecks(Scorers.ExpectReads? reads, Runs.EvalSetup? given, string file, List<string> errors)
{
    /// <summary>The most problems the checks list; parsing goes on reading lines, the checks go on counting.</summary>
    private const int MaxProblems = 1000;

    private ReleaseNames? _names;
    private UnusedCaseVars? _unusedVars;
    private UnsetCaseVars? _unsetVars;

    /// <summary>Problems the checks have listed so far: a case that waited goes after those of the cases before it.</summary>
    private int _inserted;

    /// <summary>Whether the release names are known (or were never asked for: then the checks that need them do nothing).</summary>
    public bool HasNames => _names is not null;

    /// <summary>Takes the names and checks the cases that waited for them, in file order.</summary>
    /// <param name="pending">Each case, whether the run asks it, and how many problems were listed when it was parsed; cleared.</param>
    public void Named(ReleaseNames names, List<(EvalCase Case, bool Asked, int ErrorIndex)> pending)
    {
        _names = names;
        _unusedVars = new UnusedCaseVars(names, file);
        _unsetVars = given is null ? null : new UnsetCaseVars(names, given.Vars, given.UnsetVarsHint, file);
        foreach (var (c, asked, errorIndex) in pending)
        {
            Check(c, asked, errorIndex + _inserted);
        }

        pending.Clear();
    }

    /// <summary>Checks <paramref name="c"/>, its problems going in at <paramref name="at"/> (the end of the list for a case checked as it is parsed).</summary>
    public void Check(EvalCase c, bool asked, int at)
    {
        var found = new List<string>();
        if (asked)
        {
            _unsetVars?.Add(c);
        }

        // Past the cap a problem is counted, not listed, so the message says the true count (trial gate1000 L1: "1000
        // problem(s)" of 5,000).
        if (reads is not null)
        {
            Take(found, reads.Problems(c.Expect), c, at);
        }

        if (_names is not null)
        {
            Take(found, ExpectedTools.Problems(c, _names), c, at);
        }

        _unusedVars?.Add(c);
        if (found.Count == 0)
        {
            return;
        }

        errors.InsertRange(at, found);
        _inserted += found.Count;
    }

    /// <summary>Problems found past <see cref="MaxProblems"/>: counted, not listed.</summary>
    public int Unlisted { get; private set; }

    private void Take(List<string> found, IEnumerable<string> problems, EvalCase c, int at)
    {
        foreach (var problem in problems)
        {
            if (at + found.Count < MaxProblems)
            {
                found.Add($"{file}:{c.Line}: case '{c.Id}': {problem}");
            }
            else
            {
                Unlisted++;
            }
        }
    }

    /// <summary>Throws when a case the run asks leaves a template variable unset (only once the file has no other problem).</summary>
    public void ThrowIfUnsetVars() => _unsetVars?.ThrowIfAny();

    /// <summary><c>input.vars</c> names no template uses, one line per name.</summary>
    public IReadOnlyList<string> Warnings() => _unusedVars?.Warnings() ?? [];
}
