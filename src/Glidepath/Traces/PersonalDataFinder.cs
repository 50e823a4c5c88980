using System.Globalization;

namespace Glidepath.Traces;

/// <summary>
/// Finds one kind of personal data in text. A linear-time pattern proposes candidates; the kind's rules accept,
/// shorten or reject each: a number glued to a longer number or word (a decimal, a version, a date, an id) is
/// not one, a card number must pass the Luhn check, an address must have valid parts.
/// </summary>
internal static class PersonalDataFinder
{
    public static List<PersonalDataMatch> Find(string text, PersonalDataKind kind)
    {
        var pattern = PersonalDataPatterns.For(kind);
        var found = new List<PersonalDataMatch>();
        var at = 0;
        while (at < text.Length)
        {
            var match = pattern.Match(text, at);
            if (!match.Success)
            {
                break;
            }

            var length = Accept(kind, text, match.Index, match.Length);
            if (length > 0)
            {
                found.Add(new PersonalDataMatch(match.Index, length, kind));
                at = match.Index + length;
                continue;
            }

            // A rejected candidate may hide a real one starting inside it ("2026-12-02 415-555-0100" proposes
            // "02 415"). No candidate can start right after a letter or digit, so such runs are skipped whole: a
            // megabyte of digits costs one rejection, not a million.
            at = match.Index + 1;
            while (at < text.Length && GluedBefore(kind, text, at))
            {
                at++;
            }
        }

        return found;
    }

    /// <summary>The length of the personal data at <paramref name="start"/>, 0 when the candidate is not any.</summary>
    private static int Accept(PersonalDataKind kind, string text, int start, int length)
    {
        if (kind == PersonalDataKind.Email)
        {
            return length;
        }

        if (GluedBefore(kind, text, start))
        {
            return 0;
        }

        if (kind == PersonalDataKind.IpV6)
        {
            // "::1:" at the end of a clause: the last colon is punctuation.
            if (length > 2 && text[start + length - 1] == ':' && text[start + length - 2] != ':')
            {
                length--;
            }

            return !GluedAfter(kind, text, start + length) && IpAddresses.IsIpV6(text.AsSpan(start, length)) ? length : 0;
        }

        // A number may be proposed with a neighbour's digits on its end ("+1 415 555 0100 2026-12-02"): give back
        // whole digit groups until what is left is valid.
        for (; length > 0; length = LastGroupEnd(text.AsSpan(start, length)))
        {
            if (!GluedAfter(kind, text, start + length) && IsValid(kind, text.AsSpan(start, length)))
            {
                return length;
            }
        }

        return 0;
    }

    private static bool IsValid(PersonalDataKind kind, ReadOnlySpan<char> candidate) => kind switch
    {
        PersonalDataKind.IpV4 => IpAddresses.IsIpV4(candidate),
        PersonalDataKind.CreditCard => CardNumbers.IsValid(candidate),
        _ => PhoneNumbers.IsValid(candidate),
    };

    /// <summary>Where the last digit group before the end of <paramref name="candidate"/> ends; 0 when there is none.</summary>
    private static int LastGroupEnd(ReadOnlySpan<char> candidate)
    {
        for (var i = candidate.Length - 1; i > 0; i--)
        {
            if (char.IsDigit(candidate[i - 1]) && !char.IsDigit(candidate[i]))
            {
                return i;
            }
        }

        return 0;
    }

    // Letters are glue only in ASCII: Chinese or Japanese text puts a phone number right after a word, with no space.
    private static bool IsWordChar(char c) => char.IsAsciiLetter(c) || char.IsDigit(c) || c == '_';

    private static bool IsJoiner(char c) => c == '.' || char.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation;

    /// <summary>Whether what comes before <paramref name="start"/> makes a candidate there part of something longer.</summary>
    private static bool GluedBefore(PersonalDataKind kind, string text, int start)
    {
        if (kind == PersonalDataKind.Email || start == 0)
        {
            return false;
        }

        var c = text[start - 1];
        var digitBefore = start >= 2 && char.IsDigit(text[start - 2]);
        return IsWordChar(c) || kind switch
        {
            PersonalDataKind.IpV6 => c == ':' || (c == '.' && digitBefore),
            PersonalDataKind.IpV4 => c == '.' && digitBefore, // 10.0.0.1-10.0.0.9 is a range of two addresses
            PersonalDataKind.CreditCard => c == '+' || IsCurrency(c) || (IsJoiner(c) && digitBefore),
            _ => IsCurrency(c) || (IsJoiner(c) && digitBefore),
        };
    }

    /// <summary>Whether what comes at <paramref name="end"/> makes a candidate ending there part of something longer.</summary>
    private static bool GluedAfter(PersonalDataKind kind, string text, int end)
    {
        if (end >= text.Length)
        {
            return false;
        }

        var c = text[end];
        var next = end + 1 < text.Length ? text[end + 1] : '\0';
        return IsWordChar(c) || kind switch
        {
            PersonalDataKind.IpV6 => (c == '.' && char.IsDigit(next)) || (c == ':' && char.IsAsciiHexDigit(next)),
            PersonalDataKind.IpV4 => c == '.' && char.IsDigit(next), // a port (:8080) or a prefix length (/24) may follow
            _ => IsJoiner(c) && char.IsDigit(next),
        };
    }

    private static bool IsCurrency(char c) => char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol;
}
