using Glidepath.Evals.Runs;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The answers a report shows for some cases (the gate: those that changed; a stored verdict: those the candidate
/// failed): the baseline's and the candidate's text and why the candidate did not pass, taken from the trials each side
/// shows (<see cref="SideTally"/>) as trials are offered one at a time. Other cases get no texts, so only the shown
/// cases' answers are held.
/// </summary>
internal sealed class ShownAnswers
{
    private readonly IReadOnlyList<CaseTally> _tallies;
    private readonly Dictionary<int, Texts> _wanted = [];

    /// <param name="tallies">The cases, added up.</param>
    /// <param name="wanted">Indexes into <paramref name="tallies"/> of the cases whose answers are shown.</param>
    public ShownAnswers(IReadOnlyList<CaseTally> tallies, IEnumerable<int> wanted)
    {
        ArgumentNullException.ThrowIfNull(tallies);
        ArgumentNullException.ThrowIfNull(wanted);
        _tallies = tallies;
        foreach (var i in wanted)
        {
            _wanted[i] = new Texts();
        }
    }

    /// <summary>False when no case is wanted: there is nothing to read.</summary>
    public bool Wanted => _wanted.Count > 0;

    /// <summary>Keeps <paramref name="trial"/>'s answer (and, for the candidate, why it did not pass) if it is the one shown for that side of case <paramref name="index"/>.</summary>
    public void Offer(int index, bool baseline, TrialResult trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!_wanted.TryGetValue(index, out var texts))
        {
            return;
        }

        if (baseline && texts.Baseline is null && trial.Trial == _tallies[index].Baseline.ShownIfBaseline)
        {
            texts.Baseline = trial.Display;
        }
        else if (!baseline && texts.Candidate is null && trial.Trial == _tallies[index].Candidate.ShownIfCandidate)
        {
            texts.Candidate = trial.Display;
            texts.Why = trial.Why;
        }
    }

    /// <summary>The texts found for case <paramref name="index"/> (empty where a side had no trial), or null for a case not wanted.</summary>
    public (string Baseline, string Candidate, string Why)? For(int index) =>
        _wanted.TryGetValue(index, out var t) ? (t.Baseline ?? "", t.Candidate ?? "", t.Why ?? "") : null;

    /// <summary>The indexes of the cases that changed (regressed, improved or errored): those a gate report shows answers for.</summary>
    public static IEnumerable<int> Changed(IReadOnlyList<CaseComparison> cases) =>
        Enumerable.Range(0, cases.Count).Where(i => cases[i].Change != CaseChange.Same);

    /// <summary><paramref name="cases"/> (in the order of the tallies) with the texts found filled in; the others as they were.</summary>
    public IReadOnlyList<CaseComparison> Apply(IReadOnlyList<CaseComparison> cases) =>
        [.. cases.Select((c, i) => For(i) is { } t ? c with { BaselineOutput = t.Baseline, CandidateOutput = t.Candidate, CandidateReason = t.Why } : c)];

    private sealed class Texts
    {
        public string? Baseline { get; set; }

        public string? Candidate { get; set; }

        public string? Why { get; set; }
    }
}
