using System.Text.Json;

namespace Glidepath.Evals.Runs;

/// <summary>
/// A tool call of a stored trial as JSON shows it: <c>{name, arguments}</c>, the arguments as a JSON object when the
/// stored text parses as one, else that text as a string (null when the call had none).
/// </summary>
public sealed record ToolCallView(string Name, JsonElement? Arguments)
{
    /// <summary>Reads a call stored as <c>name(args-json)</c> (<see cref="TrialResult.ToolCalls"/>); text not of that shape is the name.</summary>
    public static ToolCallView Parse(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var open = stored.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !stored.EndsWith(')'))
        {
            return new ToolCallView(stored, null);
        }

        var text = stored[(open + 1)..^1];
        return new ToolCallView(stored[..open], text.Length == 0 ? null : ReadArguments(text));
    }

    private static JsonElement ReadArguments(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                return doc.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a model can send any text as arguments): kept as the text it was.
        }

        return JsonSerializer.SerializeToElement(text);
    }
}
