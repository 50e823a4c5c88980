using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Cli.Commands;

/// <summary>Reads duration options such as <c>--since 1h</c> (500ms, 30s, 15m, 1h, 7d).</summary>
internal static class CliDurations
{
    public static TimeSpan Parse(string? text, string option, TimeSpan fallback) => ParseOptional(text, option) ?? fallback;

    /// <summary>The duration given for <paramref name="option"/>, or null when it was not given; zero or not a duration is bad input naming the option.</summary>
    public static TimeSpan? ParseOptional(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!DurationParser.TryParse(text, out var span))
        {
            throw new BadInputException($"{option} '{text}' is not a duration; expected e.g. 30m, 1h or 7d");
        }

        return span > TimeSpan.Zero ? span : throw new BadInputException($"{option} '{text}' is zero; expected a duration above zero, e.g. 30m, 1h or 7d");
    }
}
