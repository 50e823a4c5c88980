using System.Text.Json;

namespace Glidepath.Cli.Drills;

/// <summary>How drill results are written into history events (snake_case, like the rest of the CLI's JSON).</summary>
internal static class DrillJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
