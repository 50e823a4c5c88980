using System.Text.RegularExpressions;

namespace Glidepath.Gateway.Telemetry;

/// <summary>Removes personal data named by the manifest's <c>capture.redact</c> from captured content.</summary>
internal static partial class Redactor
{
    public static string Redact(string text, IReadOnlyList<string> kinds)
    {
        foreach (var kind in kinds)
        {
            text = kind switch
            {
                "email" => Email().Replace(text, "[email]"),
                "phone" => Phone().Replace(text, "[phone]"),
                "credit_card" => Card().Replace(text, "[credit_card]"),
                "ip" => Ip().Replace(text, "[ip]"),
                _ => text,
            };
        }

        return text;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    // International or national numbers with optional separators: +1 (555) 010-2030, 020 7946 0958, 555-0100.
    [GeneratedRegex(@"(?<![\w.])\+?\d[\d\s().-]{6,}\d(?![\w.])")]
    private static partial Regex Phone();

    [GeneratedRegex(@"\b(?:\d[ -]?){13,19}\b")]
    private static partial Regex Card();

    [GeneratedRegex(@"\b(?:\d{1,3}\.){3}\d{1,3}\b")]
    private static partial Regex Ip();
}
