using System.Globalization;

namespace Glidepath.Manifests;

/// <summary>Parses durations such as <c>500ms</c>, <c>30s</c>, <c>30m</c>, <c>1h</c>, <c>7d</c>, up to <see cref="MaxDays"/> days.</summary>
public static class DurationParser
{
    /// <summary>Longest duration accepted (about ten years); longer ones are rejected, not overflowed.</summary>
    public const double MaxDays = 3650;

    /// <summary>
    /// A duration above zero given for <paramref name="name"/> (an option such as <c>--max-duration</c>, or a request field),
    /// or null when none was given; text that is not a duration, or zero, is bad input naming <paramref name="name"/>.
    /// </summary>
    public static TimeSpan? Positive(string? text, string name, string example = "30m, 1h or 7d")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!TryParse(text, out var span))
        {
            throw new Errors.BadInputException($"{name} '{text}' is not a duration; expected e.g. {example}");
        }

        return span > TimeSpan.Zero ? span : throw new Errors.BadInputException($"{name} '{text}' is zero; expected a duration above zero, e.g. {example}");
    }

    public static bool TryParse(string text, out TimeSpan span)
    {
        span = default;
        text = text.Trim();
        string[] units = ["ms", "s", "m", "h", "d"];
        foreach (var unit in units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal) &&
                double.TryParse(text[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n))
            {
                var days = unit switch
                {
                    "ms" => n / 86_400_000,
                    "s" => n / 86_400,
                    "m" => n / 1_440,
                    "h" => n / 24,
                    _ => n,
                };
                if (days > MaxDays)
                {
                    // Far beyond any step or drill limit, and TimeSpan (or a clock plus it) would overflow.
                    return false;
                }

                span = unit switch
                {
                    "ms" => TimeSpan.FromMilliseconds(n),
                    "s" => TimeSpan.FromSeconds(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "h" => TimeSpan.FromHours(n),
                    _ => TimeSpan.FromDays(n),
                };
                return true;
            }
        }

        return false;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var span) ? span : throw new FormatException($"'{text}' is not a duration; expected e.g. 500ms, 30s, 30m, 1h, 7d");
}
