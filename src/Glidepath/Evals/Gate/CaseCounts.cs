namespace Glidepath.Evals.Gate;

/// <summary>One case's passes per trials on each side, and whether any of its trials errored.</summary>
internal readonly record struct CaseCounts(int BaselinePasses, int BaselineTrials, int CandidatePasses, int CandidateTrials, bool Errored)
{
    /// <summary>Both sides scored without error, one trial each: decided by the deterministic rule.</summary>
    public bool SingleTrial => !Errored && BaselineTrials == 1 && CandidateTrials == 1;

    /// <summary>Both sides scored without error and more than one trial on a side: tested with Fisher, in the family.</summary>
    public bool Tested => !Errored && BaselineTrials > 0 && CandidateTrials > 0 && !SingleTrial;
}
