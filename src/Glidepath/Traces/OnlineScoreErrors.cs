using System.Text.Json;

namespace Glidepath.Traces;

/// <summary>
/// Whether a scored trace's online result is an error: any online scorer that could not score makes the whole result an
/// error, as <c>CaseScore.Combine</c> decides when the gateway scores it.
/// </summary>
internal static class OnlineScoreErrors
{
    /// <summary>
    /// The errors as "scorer: error; …", or null when the trace was scored without error. Fail closed: a scored trace
    /// whose outcomes are missing or unreadable is an error too.
    /// </summary>
    public static string? Of(TraceRecord trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.OnlineScoresJson is not { } json)
        {
            return "online: the trace records no scorer outcomes";
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return "online: the recorded scorer outcomes are not a list";
            }

            var errors = new List<string>();
            foreach (var outcome in doc.RootElement.EnumerateArray())
            {
                if (outcome.ValueKind == JsonValueKind.Object && outcome.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                {
                    var scorer = outcome.TryGetProperty("scorer", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : "?";
                    errors.Add($"{scorer}: {error.GetString()}");
                }
            }

            return errors.Count == 0 ? null : string.Join("; ", errors);
        }
        catch (JsonException)
        {
            return "online: the recorded scorer outcomes are not valid JSON";
        }
    }
}
