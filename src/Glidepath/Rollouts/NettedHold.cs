using System.Text.Json.Nodes;

namespace Glidepath.Rollouts;

/// <summary>
/// Why an advance was held as netted (<see cref="RolloutController"/>, RolloutController.Netting.cs): the reason in words, and
/// the figures behind it that the hold's <c>rollout_held</c> history event carries for tools (<see cref="AddTo"/>).
/// </summary>
/// <param name="Reason">The netted decision's reason (the keys, the overlap, the p-value and the commands to go on).</param>
/// <param name="PValue">The permutation test's p-value (<see cref="NettedCallers.PValue"/>), below <see cref="RolloutController.NettedAlpha"/>.</param>
/// <param name="Overlap">The arms' shares by key overlap (<see cref="NettedCallers.Overlap"/>): shown, not a gate.</param>
/// <param name="CanaryKeys">The caller keys the canary's refusals and timeouts came from (requests without a key count as one).</param>
/// <param name="CanaryBusiest">The canary's busiest keys, most errors first (at most three; requests without a key are never named).</param>
/// <param name="StableKeys">As <paramref name="CanaryKeys"/>, for stable.</param>
/// <param name="StableBusiest">As <paramref name="CanaryBusiest"/>, for stable.</param>
public sealed record NettedHold(string Reason, double PValue, double Overlap, int CanaryKeys, IReadOnlyList<string> CanaryBusiest, int StableKeys, IReadOnlyList<string> StableBusiest)
{
    /// <summary>The value of <c>hold</c> in a netted hold's <c>rollout_held</c> event (an undecided hold's has none).</summary>
    public const string HoldKind = "netted";

    /// <summary>
    /// Adds <c>hold: netted</c>, <c>p_value</c>, <c>overlap</c>, <c>canary_keys</c>, <c>canary_busiest_keys</c>,
    /// <c>stable_keys</c> and <c>stable_busiest_keys</c> to a history event's details.
    /// </summary>
    public void AddTo(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        details["hold"] = HoldKind;
        details["p_value"] = Math.Round(PValue, 6);
        details["overlap"] = Math.Round(Overlap, 4);
        details["canary_keys"] = CanaryKeys;
        details["canary_busiest_keys"] = new JsonArray([.. CanaryBusiest.Select(k => (JsonNode)JsonValue.Create(k))]);
        details["stable_keys"] = StableKeys;
        details["stable_busiest_keys"] = new JsonArray([.. StableBusiest.Select(k => (JsonNode)JsonValue.Create(k))]);
    }
}
