using System.Text.Json;
using System.Text.Json.Serialization;

namespace Glidepath.Views;

/// <summary>
/// How every view is written as JSON, by the CLI's <c>--format json</c> and by the admin API alike, so a remote client can
/// print an answer unchanged: snake_case names, nulls kept, indented.
/// </summary>
public static class ViewJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A <see cref="Utf8JsonWriter"/>'s settings for the same style, for JSON written by hand: indented (or one line), the same escaping.</summary>
    public static JsonWriterOptions Writer(bool indented = true) => new() { Indented = indented && Options.WriteIndented, Encoder = Options.Encoder };
}
