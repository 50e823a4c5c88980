using System.Globalization;
using Glidepath.Environments;

namespace Glidepath.Rollouts;

/// <summary>
/// A rollout as JSON output (or an admin API) shows it: releases named, the step's weight, the plan. While the
/// environment is frozen the gateway sends every request to stable: <see cref="Frozen"/> is true and
/// <see cref="ServedWeight"/> (the canary's share of requests now) is 0 although <see cref="Weight"/> keeps the step's.
/// <see cref="MaxHold"/> is the plan's max_hold (null: a hold has no deadline).
/// </summary>
public sealed record RolloutView(
    string Id, string Environment, ReleaseRefView Release, ReleaseRefView Baseline, string State, int Step, int Steps,
    double Weight, IReadOnlyList<double> Plan, int MinRequests, int MinSubjects, string MaxDuration, double Confidence, string OnInconclusive,
    DateTimeOffset StepStartedAt, DateTimeOffset StartedAt, string StartedBy, string? Reason, bool Forced,
    DateTimeOffset? EndedAt, string? EndReason, bool Frozen = false, double ServedWeight = 0, string? MaxHold = null)
{
    public static RolloutView From(Rollout r, EnvironmentViews names, bool frozen = false)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(names);
        var weight = r.State == RolloutState.Promoted ? 100 : r.IsActive ? r.Weight : 0;
        var isFrozen = frozen && r.IsActive;
        return new RolloutView(
            r.Id, r.Environment, names.Ref(r.ReleaseId)!, names.Ref(r.BaselineReleaseId)!, r.State, r.StepIndex + 1, r.Plan.Steps.Count,
            weight, r.Plan.Steps, r.Plan.MinRequests, r.Plan.MinSubjects, Duration(r.Plan.MaxDuration), r.Plan.Confidence,
            r.Plan.OnInconclusive, r.StepStartedAt, r.StartedAt, r.StartedBy, r.Reason, r.Forced, r.EndedAt, r.EndReason, isFrozen, isFrozen ? 0 : weight,
            r.Plan.MaxHold is { } maxHold ? Duration(maxHold) : null);
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
