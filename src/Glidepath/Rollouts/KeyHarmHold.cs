using System.Text.Json.Nodes;

namespace Glidepath.Rollouts;

/// <summary>
/// Why an advance was held for one caller key (<see cref="RolloutController"/>, RolloutController.KeyHarm.cs): the reason in
/// words, and the keys behind it that the hold's <c>rollout_held</c> history event carries for tools (<see cref="AddTo"/>).
/// </summary>
/// <param name="Reason">The key_harm decision's reason (the key, its two rates and counts, and the commands to go on).</param>
/// <param name="Findings">The keys found, the worst first (<see cref="KeyHarm.Find"/>).</param>
public sealed record KeyHarmHold(string Reason, IReadOnlyList<KeyHarmFinding> Findings)
{
    /// <summary>The value of <c>hold</c> in a key_harm hold's <c>rollout_held</c> event.</summary>
    public const string HoldKind = "key_harm";

    /// <summary>
    /// Adds <c>hold: key_harm</c> and <c>keys</c>: per key found its name, canary and stable requests and errors, the
    /// statistic, the threshold and the level, and how many keys were compared.
    /// </summary>
    public void AddTo(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        details["hold"] = HoldKind;
        details["keys_compared"] = Findings.Count > 0 ? Findings[0].KeysCompared : 0;
        details["keys"] = new JsonArray([.. Findings.Select(f => (JsonNode)new JsonObject
        {
            ["key"] = f.Key,
            ["canary_requests"] = f.CanaryRequests,
            ["canary_errors"] = f.CanaryErrors,
            ["stable_requests"] = f.StableRequests,
            ["stable_errors"] = f.StableErrors,
            ["statistic"] = Math.Round(f.Statistic, 4),
            ["threshold"] = Math.Round(f.Threshold, 4),
            ["level"] = Math.Round(f.Level, 8),
        })]);
    }
}
