using Glidepath.Evals.Runs;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The answers a report shows for the cases that changed (regressed, improved or errored): the baseline's and the
/// candidate's text and why the candidate failed, taken from the trials each side shows (<see cref="SideTally"/>) as
/// trials are offered one at a time. Unchanged cases keep empty texts, so a gate holds the answers of changed cases only.
/// </summary>
internal sealed class ShownAnswers
{
    private readonly IReadOnlyList<CaseComparison> _cases;
    private readonly IReadOnlyList<CaseTally> _tallies;
    private readonly Dictionary<int, Texts> _changed = [];

    /// <param name="cases">The decided cases, in the order of <paramref name="tallies"/>.</param>
    public ShownAnswers(IReadOnlyList<CaseComparison> cases, IReadOnlyList<CaseTally> tallies)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(tallies);
        _cases = cases;
        _tallies = tallies;
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i].Change != CaseChange.Same)
            {
                _changed[i] = new Texts();
            }
        }
    }

    /// <summary>False when no case changed: there is nothing to read.</summary>
    public bool Wanted => _changed.Count > 0;

    /// <summary>Keeps <paramref name="trial"/>'s answer if it is the one shown for case <paramref name="index"/>'s baseline.</summary>
    public void OfferBaseline(int index, TrialResult trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (_changed.TryGetValue(index, out var texts) && texts.Baseline is null && trial.Trial == _tallies[index].Baseline.ShownIfBaseline)
        {
            texts.Baseline = trial.Display;
        }
    }

    /// <summary>Keeps <paramref name="trial"/>'s answer and reason if it is the one shown for case <paramref name="index"/>'s candidate.</summary>
    public void OfferCandidate(int index, TrialResult trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (_changed.TryGetValue(index, out var texts) && texts.Candidate is null && trial.Trial == _tallies[index].Candidate.ShownIfCandidate)
        {
            texts.Candidate = trial.Display;
            texts.Reason = trial.Why;
        }
    }

    /// <summary>The decided cases with the answers found filled in.</summary>
    public IReadOnlyList<CaseComparison> Apply() =>
        [.. _cases.Select((c, i) => _changed.TryGetValue(i, out var t)
            ? c with { BaselineOutput = t.Baseline ?? "", CandidateOutput = t.Candidate ?? "", CandidateReason = t.Reason ?? "" }
            : c)];

    private sealed class Texts
    {
        public string? Baseline { get; set; }

        public string? Candidate { get; set; }

        public string? Reason { get; set; }
    }
}
