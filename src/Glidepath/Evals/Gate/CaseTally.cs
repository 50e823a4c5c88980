namespace Glidepath.Evals.Gate;

/// <summary>One case as the gate decides it: its id and tags, and each side's trials added up (<see cref="SideTally"/>).</summary>
internal sealed class CaseTally(string caseId, IReadOnlyList<string> tags)
{
    public string CaseId => caseId;

    public IReadOnlyList<string> Tags => tags;

    public SideTally Baseline { get; } = new();

    public SideTally Candidate { get; } = new();

    public CaseCounts Counts => new(Baseline.Passes, Baseline.Trials, Candidate.Passes, Candidate.Trials, Baseline.Errored || Candidate.Errored);

    /// <summary>Adds up a case whose trials are all in hand.</summary>
    public static CaseTally Of(GateCaseInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var tally = new CaseTally(input.CaseId, input.Tags);
        foreach (var t in input.Baseline)
        {
            tally.Baseline.Add(t);
        }

        foreach (var t in input.Candidate)
        {
            tally.Candidate.Add(t);
        }

        return tally;
    }
}
