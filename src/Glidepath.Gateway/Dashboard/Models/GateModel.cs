using Glidepath.Environments;
using Glidepath.Evals;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>A release's gate verdicts, newest first, and for the one chosen the cases that failed, baseline beside candidate.</summary>
public sealed record GateModel(ReleaseRefView Release, IReadOnlyList<GateVerdictRecord> Verdicts, GateVerdictRecord? Chosen, IReadOnlyList<GateCaseRow> FailedCases, EnvironmentViews Names);

/// <summary>One case of a gate run where the candidate failed a trial (or regressed), with both answers side by side.</summary>
public sealed record GateCaseRow(
    string CaseId, bool Regressed, int BaselinePasses, int BaselineTrials, int CandidatePasses, int CandidateTrials,
    string BaselineAnswer, string CandidateAnswer, string CandidateReason);
