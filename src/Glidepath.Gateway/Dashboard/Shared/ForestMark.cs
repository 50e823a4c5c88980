namespace Glidepath.Gateway.Dashboard.Shared;

/// <summary>One look drawn: its label, row centre, interval ends and estimate (null without enough data), and what the judge said.</summary>
internal sealed record ForestMark(string Label, double Y, double? Low, double? High, double? Estimate, string Verdict, string Text, long CanaryN, long StableN)
{
    /// <summary>
    /// Where the estimate the harm side's bound is around lies, when a dominant subject group was left out of that side
    /// (<see cref="Glidepath.Rollouts.MetricEvidence.HarmSideEstimate"/>); null otherwise.
    /// </summary>
    public double? HarmSide { get; init; }
}
