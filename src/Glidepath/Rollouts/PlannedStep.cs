namespace Glidepath.Rollouts;

/// <summary>What one step needs when the canary is as good as stable: canary and total requests, and which metric sets it.</summary>
public sealed record PlannedStep(double Weight, long? CanaryRequests, long? TotalRequests, string LimitingMetric, IReadOnlyList<PlannedMetric> Metrics)
{
    /// <summary>With a request rate: the canary requests the step sees within max_duration; null without a rate.</summary>
    public long? CanaryRequestsInTime { get; init; }
}
