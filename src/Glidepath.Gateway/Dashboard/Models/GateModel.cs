using Glidepath.Environments;
using Glidepath.Evals;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>A release's gate verdicts, newest first, and for the one chosen the cases that failed, baseline beside candidate (<see cref="GateVerdictCases"/>).</summary>
public sealed record GateModel(ReleaseRefView Release, IReadOnlyList<GateVerdictRecord> Verdicts, GateVerdictRecord? Chosen, IReadOnlyList<GateVerdictCase> FailedCases, EnvironmentViews Names);
