using Glidepath.Evals.Datasets;
using Glidepath.Evals.Runs;

namespace Glidepath.Evals.Gate;

/// <summary>
/// A gate run's cases added up from the stored results, reading cases and results as streams: the gate (and a stored
/// verdict's case list) holds a few counts per case (<see cref="CaseTally"/>), never the run's results, whatever the
/// number of cases.
/// </summary>
internal sealed class GateRunTally
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<CaseTally> _cases = [];
    private readonly string _baselineId;
    private readonly string _candidateId;

    private GateRunTally(string baselineId, string candidateId)
    {
        _baselineId = baselineId;
        _candidateId = candidateId;
    }

    /// <summary>The cases in dataset order (or, read without the dataset, in the order their first result came).</summary>
    public IReadOnlyList<CaseTally> Cases => _cases;

    /// <summary>A release gated against itself: one set of results, counted on both sides (its errors once: <see cref="GateEvaluator.DecideFromTallies"/>).</summary>
    public bool OneRun => string.Equals(_baselineId, _candidateId, StringComparison.Ordinal);

    /// <summary>
    /// One pass over the cases (ids and tags, in order) and one over the results. A release gated against itself has one
    /// set of results, counted on both sides. Results of cases outside <paramref name="cases"/> are left out.
    /// </summary>
    public static async Task<GateRunTally> ReadAsync(
        IAsyncEnumerable<EvalCase> cases, IAsyncEnumerable<TrialResult> results, string baselineId, string candidateId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var tally = new GateRunTally(baselineId, candidateId);
        await foreach (var c in cases.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            tally.AddCase(c.Id, c.Tags);
        }

        await tally.ForEachAsync(results, addCases: false, (i, baseline, trial) => (baseline ? tally._cases[i].Baseline : tally._cases[i].Candidate).Add(trial), cancellationToken).ConfigureAwait(false);
        return tally;
    }

    /// <summary>The same from the results alone (a stored run whose dataset is not at hand): every case that has a result.</summary>
    public static async Task<GateRunTally> ReadAsync(IAsyncEnumerable<TrialResult> results, string baselineId, string candidateId, CancellationToken cancellationToken)
    {
        var tally = new GateRunTally(baselineId, candidateId);
        await tally.ForEachAsync(results, addCases: true, (i, baseline, trial) => (baseline ? tally._cases[i].Baseline : tally._cases[i].Candidate).Add(trial), cancellationToken).ConfigureAwait(false);
        return tally;
    }

    /// <summary>
    /// <paramref name="decided"/> (in the order of <see cref="Cases"/>) with the answers of the cases that changed, picked
    /// from a second pass over the results; unchanged cases keep empty texts, and without a changed case nothing is read.
    /// </summary>
    public async Task<IReadOnlyList<CaseComparison>> WithAnswersAsync(IReadOnlyList<CaseComparison> decided, IAsyncEnumerable<TrialResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var answers = await AnswersAsync(ShownAnswers.Changed(decided), results, cancellationToken).ConfigureAwait(false);
        return answers.Apply(decided);
    }

    /// <summary>The shown answers of the cases at <paramref name="wanted"/> (indexes into <see cref="Cases"/>), from a second pass over the results; nothing is read when none is wanted.</summary>
    public async Task<ShownAnswers> AnswersAsync(IEnumerable<int> wanted, IAsyncEnumerable<TrialResult> results, CancellationToken cancellationToken)
    {
        var answers = new ShownAnswers(_cases, wanted);
        if (answers.Wanted)
        {
            await ForEachAsync(results, addCases: false, answers.Offer, cancellationToken).ConfigureAwait(false);
        }

        return answers;
    }

    private void AddCase(string caseId, IReadOnlyList<string> tags)
    {
        _index[caseId] = _cases.Count;
        _cases.Add(new CaseTally(caseId, tags));
    }

    /// <summary>Calls <paramref name="add"/> with each result's case index and side (twice when both sides are one release).</summary>
    private async Task ForEachAsync(IAsyncEnumerable<TrialResult> results, bool addCases, Action<int, bool, TrialResult> add, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        await foreach (var r in results.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!_index.TryGetValue(r.CaseId, out var i))
            {
                if (!addCases)
                {
                    continue;
                }

                AddCase(r.CaseId, []);
                i = _cases.Count - 1;
            }

            if (r.ReleaseId == _baselineId)
            {
                add(i, true, r);
            }

            if (r.ReleaseId == _candidateId)
            {
                add(i, false, r);
            }
        }
    }
}
