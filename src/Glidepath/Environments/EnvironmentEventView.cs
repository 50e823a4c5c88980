using System.Text.Json;
using System.Text.Json.Serialization;

namespace Glidepath.Environments;

/// <summary>One history event as JSON output (or an admin API) shows it.</summary>
public sealed record EnvironmentEventView(
    long Revision, string Kind, DateTimeOffset Time, string Actor, string? Reason,
    ReleaseRefView? From, ReleaseRefView? To, bool Forced, JsonElement? Details)
{
    /// <summary>
    /// Whether the event moved the stable pointer from <see cref="From"/> to <see cref="To"/> (an arrow reads right). A
    /// rollout event other than the promotion names the canary (from) and the stable it is judged against (to); a drill
    /// event the release served for that phase (to) beside the stable kept (from); a shadow event the shadowed release
    /// (to) beside the stable (from): none of them moves it.
    /// </summary>
    [JsonIgnore]
    public bool MovesStable => !(Kind.StartsWith("rollout_", StringComparison.Ordinal) && Kind != Rollouts.RolloutEventKinds.Promoted)
        && Kind is not (EnvironmentEventKinds.Drill or EnvironmentEventKinds.ShadowStart or EnvironmentEventKinds.ShadowStop);

    /// <summary>
    /// Who, in words: the actor, and for an event the rollout controller recorded, which controller (its lease holder,
    /// <c>details.controller</c>): "controller (vm:6670:…)". The <see cref="Actor"/> field itself stays <c>controller</c>.
    /// </summary>
    [JsonIgnore]
    public string ActorText =>
        Actor == Rollouts.RolloutController.Actor && Details is { ValueKind: JsonValueKind.Object } d
            && d.TryGetProperty(Rollouts.RolloutController.HolderDetail, out var holder) && holder.ValueKind == JsonValueKind.String
            ? $"{Actor} ({holder.GetString()})"
            : Actor;

    /// <summary>The releases of an event in words: "v3 → v4" for a move, "canary v4 vs stable v3", "served v1+…, stable v2 kept", "shadow v4+… vs stable v3", or "-".</summary>
    [JsonIgnore]
    public string ReleasesText =>
        To is null && From is null ? "-"
        : Kind == EnvironmentEventKinds.Drill ? $"served {To?.Label ?? "-"}, stable {From?.Name ?? "(none)"} kept"
        : Kind is EnvironmentEventKinds.ShadowStart or EnvironmentEventKinds.ShadowStop ? $"shadow {To?.Label ?? "-"} vs stable {From?.Name ?? "(none)"}"
        : !MovesStable ? $"canary {From?.Label ?? "-"} vs stable {To?.Name ?? "(none)"}"
        : $"{From?.Name ?? "(none)"} → {To?.Label ?? "-"}";
}
