using System.Globalization;
using Glidepath.Environments;

namespace Glidepath.Rollouts;

/// <summary>A rollout as JSON output (or an admin API) shows it: releases named, the weight it serves now, the plan.</summary>
public sealed record RolloutView(
    string Id, string Environment, ReleaseRefView Release, ReleaseRefView Baseline, string State, int Step, int Steps,
    double Weight, IReadOnlyList<double> Plan, int MinRequests, int MinSubjects, string MaxDuration, double Confidence, string OnInconclusive,
    DateTimeOffset StepStartedAt, DateTimeOffset StartedAt, string StartedBy, string? Reason, bool Forced,
    DateTimeOffset? EndedAt, string? EndReason)
{
    public static RolloutView From(Rollout r, EnvironmentViews names)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(names);
        return new RolloutView(
            r.Id, r.Environment, names.Ref(r.ReleaseId)!, names.Ref(r.BaselineReleaseId)!, r.State, r.StepIndex + 1, r.Plan.Steps.Count,
            r.State == RolloutState.Promoted ? 100 : r.IsActive ? r.Weight : 0, r.Plan.Steps, r.Plan.MinRequests, r.Plan.MinSubjects, Duration(r.Plan.MaxDuration), r.Plan.Confidence,
            r.Plan.OnInconclusive, r.StepStartedAt, r.StartedAt, r.StartedBy, r.Reason, r.Forced, r.EndedAt, r.EndReason);
    }

    /// <summary>1h2m, 3m12s, 45s.</summary>
    public static string Duration(TimeSpan t)
    {
        if (t.TotalHours >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes}m");
        }

        return t.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)t.TotalSeconds)}s");
    }
}
