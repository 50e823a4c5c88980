using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>A case whose every trial errored, with each side's errored trials of its trials (<see cref="AlwaysErrored"/>).</summary>
/// <param name="OneRun">A release gated against itself: one set of trials, counted once (the baseline's figures are the candidate's).</param>
public sealed record ErroredCase(string CaseId, int BaselineErrors, int BaselineTrials, int CandidateErrors, int CandidateTrials, bool OneRun)
{
    /// <summary>The errored trials of the case, each counted once.</summary>
    public int Errors => OneRun ? CandidateErrors : BaselineErrors + CandidateErrors;

    /// <summary>The trials of the case, each counted once.</summary>
    public int Trials => OneRun ? CandidateTrials : BaselineTrials + CandidateTrials;

    /// <summary><c>20/20 trials errored (baseline 10/10, candidate 10/10)</c>; without the sides for a release gated against itself.</summary>
    public string Counts => string.Create(CultureInfo.InvariantCulture,
        $"{Errors}/{Trials} trials errored{(OneRun ? "" : $" (baseline {BaselineErrors}/{BaselineTrials}, candidate {CandidateErrors}/{CandidateTrials})")}");

    /// <summary><c>c0005: 20/20 trials errored (baseline 10/10, candidate 10/10)</c>.</summary>
    public string Line => $"{CaseId}: {Counts}";
}
