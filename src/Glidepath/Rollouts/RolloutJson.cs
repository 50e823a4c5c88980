using System.Text.Json;
using System.Text.Json.Serialization;
using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>How plans, step baselines and evidence are stored and printed as JSON (snake_case).</summary>
public static class RolloutJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Plan(RolloutPlan plan) => JsonSerializer.Serialize(plan, Options);

    public static RolloutPlan ReadPlan(string json) =>
        JsonSerializer.Deserialize<RolloutPlan>(json, Options) ?? throw new InvalidDataException("rollout plan JSON is null");

    public static string Baseline(ArmSample canary, ArmSample stable) =>
        JsonSerializer.Serialize(new StepBaseline(canary, stable), Options);

    public static (ArmSample Canary, ArmSample Stable) ReadBaseline(string json)
    {
        var b = JsonSerializer.Deserialize<StepBaseline>(json, Options);
        return b is null ? default : (b.Canary, b.Stable);
    }

    public static string Evidence(IReadOnlyList<MetricEvidence> evidence) => JsonSerializer.Serialize(evidence, Options);

    public static IReadOnlyList<MetricEvidence> ReadEvidence(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<MetricEvidence>>(json, Options) ?? [];

    private sealed record StepBaseline(ArmSample Canary, ArmSample Stable);
}
