using System.Text.RegularExpressions;

namespace Glidepath.Traces;

/// <summary>
/// Removes the personal data named by the manifest's <c>capture.redact</c> (email, phone, credit_card, ip) from
/// text. The gateway redacts content before it is stored; <c>evalset add</c> applies it again with the current
/// policy before a trace becomes a committed eval case.
/// </summary>
public static partial class ContentRedactor
{
    public static string Redact(string text, IReadOnlyList<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(kinds);
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

    [GeneratedRegex(@"(?<![\w.])\+?\d[\d\s().-]{6,}\d(?![\w.])")]
    private static partial Regex Phone();

    [GeneratedRegex(@"\b(?:\d[ -]?){13,19}\b")]
    private static partial Regex Card();

    [GeneratedRegex(@"\b(?:\d{1,3}\.){3}\d{1,3}\b")]
    private static partial Regex Ip();
}
