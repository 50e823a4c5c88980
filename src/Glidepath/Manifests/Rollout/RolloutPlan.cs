namespace Glidepath.Manifests;

/// <summary>The canary plan: weights per step, the step policy, metric tolerances and the judge's confidence.</summary>
public sealed record RolloutPlan
{
    public IReadOnlyList<double> Steps { get; init; } = [1, 5, 25, 50, 100];
    public int MinRequests { get; init; } = 200;

    /// <summary>Effective subjects (Kish's effective number of subject groups, at most 32) each arm must have served in a step before the judge decides anything.</summary>
    public int MinSubjects { get; init; } = 20;
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(30);
    public IReadOnlyDictionary<string, MetricTolerance> Metrics { get; init; } = new Dictionary<string, MetricTolerance>();
    public double Confidence { get; init; } = 0.95;
    public string OnInconclusive { get; init; } = "hold";

    /// <summary>
    /// How long a step may hold under on_inconclusive: hold (past its max_duration, unfrozen time) before the controller
    /// rolls it back with cause deadline; null: a hold lasts until someone acts or the judge decides.
    /// </summary>
    public TimeSpan? MaxHold { get; init; }

    public static readonly IReadOnlyList<string> KnownMetrics =
        ["error_rate", "retry_rate", "cancel_rate", "latency", "first_token_latency", "latency_p95", "latency_p99", "cost_per_call", "online_score", "online_pass_rate", "feedback"];
}
