using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>One alert of <c>monitor</c>'s JSON view: the columns of its table and the lines under it.</summary>
internal sealed record AlertRow(
    string Id, AlertRelease Release, string Metric, DateTimeOffset RaisedAt, MetricEvidence Evidence, AlertDeliveryView Delivery, bool RaisedAheadOfClock);
