using System.Globalization;
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
    /// (to) beside the stable (from): none of them moves it; nor does a rollback that ended a canary (<see cref="EndedCanaryWeight"/>).
    /// </summary>
    [JsonIgnore]
    public bool MovesStable => !(Kind.StartsWith("rollout_", StringComparison.Ordinal) && Kind != Rollouts.RolloutEventKinds.Promoted)
        && Kind is not (EnvironmentEventKinds.Drill or EnvironmentEventKinds.ShadowStart or EnvironmentEventKinds.ShadowStop)
        && EndedCanaryWeight is null;

    /// <summary>
    /// For a rollback that removed the canary and kept the stable release (from = the canary, to = the stable, and
    /// <c>details.canary_cleared</c> names the same canary), the canary's weight when it ended; null for any other event.
    /// A rollback that also moved the stable (<c>--to</c> during a rollout) names the old stable as from, so it is a move.
    /// </summary>
    [JsonIgnore]
    public double? EndedCanaryWeight =>
        Kind == EnvironmentEventKinds.Rollback && From is { } from && Details is { ValueKind: JsonValueKind.Object } d
            && d.TryGetProperty("canary_cleared", out var cleared) && cleared.ValueKind == JsonValueKind.Object
            && cleared.TryGetProperty("release_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == from.Id
            ? cleared.TryGetProperty("weight", out var w) && w.TryGetDouble(out var weight) ? weight : double.NaN
            : null;

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

    /// <summary>
    /// The releases of an event in words: "v3 → v4" for a move, "canary v4 vs stable v3", "served v1+…, stable v2 kept",
    /// "shadow v4+… vs stable v3", "canary v4+… at 10% ended; all traffic to the stable v3" (a rollback that ended a
    /// canary: it read "v4 → v3", as if v3 had come back), or "-".
    /// </summary>
    [JsonIgnore]
    public string ReleasesText =>
        To is null && From is null ? "-"
        : EndedCanaryWeight is { } weight ? $"canary {From?.Label ?? "-"}{(double.IsNaN(weight) ? "" : " at " + weight.ToString("0.##", CultureInfo.InvariantCulture) + "%")} ended; all traffic to the stable {To?.Name ?? "(none)"}"
        : Kind == EnvironmentEventKinds.Drill ? $"served {To?.Label ?? "-"}, stable {From?.Name ?? "(none)"} kept"
        : Kind is EnvironmentEventKinds.ShadowStart or EnvironmentEventKinds.ShadowStop ? $"shadow {To?.Label ?? "-"} vs stable {From?.Name ?? "(none)"}"
        : !MovesStable ? $"canary {From?.Label ?? "-"} vs stable {To?.Name ?? "(none)"}"
        : $"{From?.Name ?? "(none)"} → {To?.Label ?? "-"}";
}
