using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Testing;

/// <summary>Stored drift alerts for tests: a metric's error-rate-shaped evidence (+0.09 [+0.07, +0.11] beyond max_increase 0.01), never posted.</summary>
public static class TestDriftAlerts
{
    public static DriftAlert Drifted(string id, string app, string environment, string releaseId, DateTimeOffset at, string metric = "error_rate") => new()
    {
        Id = id,
        App = app,
        Environment = environment,
        ReleaseId = releaseId,
        Metric = metric,
        RaisedAt = at,
        Windows = new DriftWindows(at.AddDays(-1).AddHours(-1), at.AddDays(-1), at.AddHours(-1), at),
        Evidence = new MetricEvidence
        {
            Metric = metric,
            Scale = "difference",
            CanaryN = 2000,
            StableN = 2000,
            Estimate = 0.09,
            Lower = 0.07,
            Upper = 0.11,
            Tolerance = 0.01,
            ToleranceText = "max_increase 0.01",
            Verdict = "harm",
            Alpha = 0.008,
        },
        Message = $"{metric} drifted",
    };
}
