using Glidepath.Rollouts;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>One row of a forest plot: a look at a metric (a stored decision or the judge's live look) and its evidence.</summary>
public sealed record ForestRow(string Label, MetricEvidence Evidence);
