namespace Glidepath.Evals;

/// <summary>
/// One case of a gate verdict's run where the candidate failed a trial (or that the verdict counts as regressed), with the
/// most telling answers side by side: a failing candidate trial and a passing baseline trial when there are.
/// </summary>
public sealed record GateVerdictCase(
    string CaseId, bool Regressed, int BaselinePasses, int BaselineTrials, int CandidatePasses, int CandidateTrials,
    string BaselineAnswer, string CandidateAnswer, string CandidateReason);
