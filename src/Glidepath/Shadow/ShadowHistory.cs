using System.Text.Json.Nodes;
using Glidepath.Environments;

namespace Glidepath.Shadow;

/// <summary>Reads shadows back from an environment's history: each <c>shadow_start</c> event names one, with its settings.</summary>
internal static class ShadowHistory
{
    public sealed record Start(EnvironmentEvent Event, ShadowState Shadow);

    /// <summary>Every shadow started, oldest first.</summary>
    public static IEnumerable<Start> Starts(IEnumerable<EnvironmentEvent> history)
    {
        foreach (var e in history)
        {
            if (e.Kind != EnvironmentEventKinds.ShadowStart || e.ToReleaseId is not { } release || e.DetailsJson is null)
            {
                continue;
            }

            var details = JsonNode.Parse(e.DetailsJson)!.AsObject();
            yield return new Start(e, new ShadowState(
                (string)details["shadow_id"]!,
                release,
                (double)details["rate"]!,
                (double?)details["max_cost_usd"],
                (long?)details["max_requests"]));
        }
    }

    /// <summary>The pairs a <c>shadow_stop</c> event recorded as stored at the stop, or null.</summary>
    public static long? PairsAtStop(EnvironmentEvent e) =>
        e.DetailsJson is { } json && JsonNode.Parse(json) is JsonObject o && o["pairs"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    /// <summary>The shadow id a shadow event names, or null.</summary>
    public static string? IdOf(EnvironmentEvent e) =>
        e.DetailsJson is { } json && JsonNode.Parse(json) is JsonObject o && o["shadow_id"] is JsonValue v ? (string?)v : null;
}
