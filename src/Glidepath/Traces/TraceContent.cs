using System.Text.Json;

namespace Glidepath.Traces;

/// <summary>Reads the captured request messages of a trace (a JSON array of {"role", "content"}, as the gateway writes it).</summary>
public static class TraceContent
{
    /// <summary>The messages in order; empty when nothing was captured. Entries that are not role/content pairs are skipped.</summary>
    public static IReadOnlyList<(string Role, string Content)> Messages(string? inputJson)
    {
        if (string.IsNullOrWhiteSpace(inputJson))
        {
            return [];
        }

        var list = new List<(string, string)>();
        try
        {
            using var doc = JsonDocument.Parse(inputJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            foreach (var m in doc.RootElement.EnumerateArray())
            {
                if (m.ValueKind == JsonValueKind.Object &&
                    m.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String &&
                    m.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    list.Add((role.GetString()!, content.GetString()!));
                }
            }
        }
        catch (JsonException)
        {
            return [];
        }

        return list;
    }
}
