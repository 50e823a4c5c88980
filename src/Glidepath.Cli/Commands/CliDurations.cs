using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Cli.Commands;

/// <summary>Reads duration options such as <c>--since 1h</c> (500ms, 30s, 15m, 1h, 7d).</summary>
internal static class CliDurations
{
    public static TimeSpan Parse(string? text, string option, TimeSpan fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return DurationParser.TryParse(text, out var span) && span > TimeSpan.Zero
            ? span
            : throw new BadInputException($"{option} '{text}' is not a duration; expected e.g. 30m, 1h or 7d");
    }
}
