using Glidepath.Rollouts;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>The rollout live view: the views <c>rollout status</c> prints, built from the same <see cref="RolloutStatus"/>.</summary>
public sealed record RolloutModel(
    RolloutView Rollout, JudgeView? Judge, IReadOnlyList<DecisionView> Decisions, ControllerLease? Lease, bool Judging, DateTimeOffset Now)
{
    public static RolloutModel From(RolloutStatus status, Environments.EnvironmentViews names)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new RolloutModel(
            RolloutView.From(status.Rollout, names), status.Live is null ? null : JudgeView.From(status.Live, status.Warning),
            [.. status.Decisions.Select(d => DecisionView.From(d, status.Rollout.Plan))], status.Lease, status.Lease?.IsHeldAt(status.Now) == true, status.Now);
    }

    /// <summary>Every metric judged, in the order the judge lists them (the live look first, then the stored decisions).</summary>
    public IReadOnlyList<string> Metrics =>
        [.. (Judge?.Metrics ?? []).Concat(Decisions.SelectMany(d => d.Evidence)).Select(e => e.Metric).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// One metric's rows for its forest plot, oldest first: the evidence of every stored decision that carried some, then
    /// the judge's live look at the current step.
    /// </summary>
    public IReadOnlyList<ForestRow> Rows(string metric)
    {
        var rows = new List<ForestRow>();
        foreach (var d in Decisions)
        {
            if (d.Evidence.FirstOrDefault(e => e.Metric == metric) is { } e)
            {
                rows.Add(new ForestRow($"step {d.Step} · {d.Kind}", e));
            }
        }

        if (Judge?.Metrics.FirstOrDefault(e => e.Metric == metric) is { } live)
        {
            rows.Add(new ForestRow($"step {Rollout.Step} · now", live));
        }

        return rows;
    }
}
