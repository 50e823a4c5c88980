using System.Globalization;

namespace Glidepath.Traces;

/// <summary>Whether a candidate proposed by the card pattern is a payment card number: 13–19 digits passing the Luhn check.</summary>
internal static class CardNumbers
{
    public static bool IsValid(ReadOnlySpan<char> candidate)
    {
        var digits = 0;
        foreach (var c in candidate)
        {
            digits += char.IsDigit(c) ? 1 : 0;
        }

        if (digits is < 13 or > 19)
        {
            return false;
        }

        // Luhn: from the right, every second digit is doubled (and 9 taken off when that exceeds 9).
        var sum = 0;
        var doubled = false;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            if (!char.IsDigit(candidate[i]))
            {
                continue;
            }

            var d = CharUnicodeInfo.GetDecimalDigitValue(candidate[i]);
            if (doubled)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }
}
