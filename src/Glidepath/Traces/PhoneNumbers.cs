using System.Buffers;
using System.Globalization;

namespace Glidepath.Traces;

/// <summary>Whether a candidate proposed by the phone pattern has the digits of a phone number.</summary>
internal static class PhoneNumbers
{
    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsValid(ReadOnlySpan<char> candidate)
    {
        // The extension ("ext. 23", "x23") is redacted with the number but does not count towards its length.
        var letter = candidate.IndexOfAny(AsciiLetters);
        var number = (letter < 0 ? candidate : candidate[..letter]).TrimEnd();
        var digits = 0;
        var first = -1;
        var dashOrParen = false;
        foreach (var c in number)
        {
            if (char.IsDigit(c))
            {
                if (digits++ == 0)
                {
                    first = CharUnicodeInfo.GetDecimalDigitValue(c);
                }
            }
            else if (c == '(' || char.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation)
            {
                dashOrParen = true;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (number[0] == '+')
        {
            return digits is >= 8 and <= 15; // E.164 allows at most 15
        }

        if (first == 0)
        {
            return digits is >= 9 and <= 15; // a national number with its trunk prefix
        }

        if (digits == 7)
        {
            return number.Length == 8 && char.GetUnicodeCategory(number[3]) == UnicodeCategory.DashPunctuation;
        }

        if (digits is not (10 or 11) || (digits == 11 && first != 1))
        {
            return false;
        }

        // Ten bare digits are as often an id or a Unix time as a phone number: without a dash or parentheses, the
        // area code and the exchange must be valid North American ones (first digit 2–9).
        return dashOrParen || (DigitAt(number, digits - 10) >= 2 && DigitAt(number, digits - 7) >= 2);
    }

    private static int DigitAt(ReadOnlySpan<char> number, int index)
    {
        foreach (var c in number)
        {
            if (char.IsDigit(c) && index-- == 0)
            {
                return CharUnicodeInfo.GetDecimalDigitValue(c);
            }
        }

        return -1;
    }
}
