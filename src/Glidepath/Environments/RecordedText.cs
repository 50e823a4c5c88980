using System.Globalization;
using Glidepath.Errors;

namespace Glidepath.Environments;

/// <summary>
/// Free text a person puts in the record (a reason, an actor name from an identity provider). It is printed in
/// terminals by <c>glidepath history</c> and friends, so a control character (an escape sequence, a carriage return)
/// or a bidirectional override could rewrite what an operator sees there, such as who did it: only printable text is
/// accepted. A reason is also at most <see cref="MaxReasonLength"/> characters: the history is append-only, and a
/// freeze's reason is shown to everyone refused while it lasts.
/// </summary>
public static class RecordedText
{
    /// <summary>The longest reason recorded, in characters (UTF-16 code units), after trimming; the one limit of the CLI, the admin API and the dashboard.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// The reason trimmed, or null when blank; throws (exit 2, 400) when it holds a character that is not printable or is
    /// longer than <see cref="MaxReasonLength"/>.
    /// </summary>
    public static string? Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return null;
        }

        // Characters as people count them (Unicode scalar values): an emoji was two (trial attacker2: 500 emoji read "1000
        // characters long").
        var trimmed = reason.Trim();
        var characters = trimmed.EnumerateRunes().Count();
        if (characters > MaxReasonLength)
        {
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture,
                $"the reason is {characters} characters long; at most {MaxReasonLength} are accepted (it stays in the append-only history): shorten it and link to the details"));
        }

        Ensure(trimmed, "the reason");
        return trimmed;
    }

    /// <summary>Throws (exit 2, 400) when <paramref name="value"/> holds a character that is not printable, naming it.</summary>
    /// <param name="what">What the text is, e.g. "the reason".</param>
    public static void Ensure(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (UnprintableAt(value) is { } at)
        {
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture,
                $"{what} contains a character that is not printable (U+{(int)value[at]:X4} at position {at + 1}); it is recorded in the history and shown in terminals, so only printable text is accepted"));
        }
    }

    /// <summary>The index of the first character that is not printable (see <see cref="Unprintable"/>), or null.</summary>
    public static int? UnprintableAt(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i += Width(value, i))
        {
            if (Unprintable(value, i))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="value"/> with every character that is not printable written as <c>\uXXXX</c>, for a terminal:
    /// text recorded before these checks, or read from a store someone else writes, cannot move the cursor or recolour
    /// the screen. Line breaks and tabs stay when <paramref name="keepLineBreaks"/> (a multi-line message).
    /// </summary>
    public static string Escaped(string value, bool keepLineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (UnprintableAt(value) is not { } first)
        {
            return value;
        }

        var sb = new System.Text.StringBuilder(value.Length + 16).Append(value, 0, first);
        for (var i = first; i < value.Length; i += Width(value, i))
        {
            if (Unprintable(value, i) && !(keepLineBreaks && value[i] is '\n' or '\t'))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)value[i]:X4}");
            }
            else
            {
                sb.Append(value, i, Width(value, i));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Control characters, format characters (bidirectional marks and overrides, zero-width spaces and joiners, the
    /// byte-order mark: text that looks like other text), line and paragraph separators, and a lone half of a
    /// surrogate pair. A whole pair (an emoji) is printable.
    /// </summary>
    private static bool Unprintable(string value, int i) =>
        CharUnicodeInfo.GetUnicodeCategory(value, i) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;

    private static int Width(string value, int i) => char.IsSurrogatePair(value, i) ? 2 : 1;
}
