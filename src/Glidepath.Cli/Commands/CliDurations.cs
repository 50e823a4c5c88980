using Glidepath.Manifests;

namespace Glidepath.Cli.Commands;

/// <summary>Reads duration options such as <c>--since 1h</c> (500ms, 30s, 15m, 1h, 7d).</summary>
internal static class CliDurations
{
    public static TimeSpan Parse(string? text, string option, TimeSpan fallback, string example = "30m, 1h or 7d") =>
        DurationParser.Positive(text, option, example) ?? fallback;

    /// <summary>The duration given for <paramref name="option"/>, or null when it was not given (<see cref="DurationParser.Positive"/>).</summary>
    public static TimeSpan? ParseOptional(string? text, string option) => DurationParser.Positive(text, option);
}
