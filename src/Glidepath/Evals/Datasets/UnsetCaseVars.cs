using System.Globalization;
using Glidepath.Errors;
using Glidepath.Releases;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// The cases a run would ask that leave a template variable of its releases unset: neither the case's <c>input.vars</c>
/// nor the vars the run gives every case (<c>--env</c>'s <c>vars:</c>, <c>--var</c>) set it. Checked with the dataset,
/// before a release is registered or a run stored: such a case could never be asked, and a run that found it half-way
/// stopped, leaving a <c>stopped</c> run behind for every retry without <c>--env</c> (newcomer trial L3).
/// </summary>
internal sealed class UnsetCaseVars(ReleaseNames releases, IReadOnlyDictionary<string, string> given, Func<IReadOnlyList<string>, string?>? hint, string file)
{
    private readonly List<string> _names = [];
    private (int Line, string Id, IReadOnlyList<string> Names)? _first;
    private int _cases;

    /// <summary>Counts <paramref name="c"/> when it leaves a variable unset (only cases the run asks: its tags select them).</summary>
    public void Add(EvalCase c)
    {
        var unset = releases.UnsetVariables(c.Vars, given);
        if (unset.Count == 0)
        {
            return;
        }

        _cases++;
        _first ??= (c.Line, c.Id, unset);
        _names.AddRange(unset.Where(n => !_names.Contains(n, StringComparer.Ordinal)));
    }

    /// <summary>Refuses the run (exit 2) when a case leaves a variable unset, naming the first such case and where the variables could come from.</summary>
    public void ThrowIfAny()
    {
        if (_first is not { } first)
        {
            return;
        }

        var names = string.Join(", ", first.Names.Select(n => "'" + n + "'"));
        var more = _cases > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({_cases - 1} more case(s) leave {string.Join(", ", _names.Select(n => "'" + n + "'"))} unset)") : "";
        var fix = hint?.Invoke(_names) is { } where ? $". {where}" : "";
        throw new BadInputException(
            $"{file}:{first.Line}: case '{first.Id}': template variable {names} {(first.Names.Count == 1 ? "is" : "are")} not set{more}; " +
            $"give {(first.Names.Count == 1 ? "it" : "them")} in the case's input.vars, with --var NAME=VALUE, or with --env of an environment whose vars: set {(first.Names.Count == 1 ? "it" : "them")}{fix}. Nothing was run or stored");
    }
}
