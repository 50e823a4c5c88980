using System.Text.Unicode;

namespace Glidepath.Gateway.Wire;

/// <summary>
/// Whether a JSON body's text is valid Unicode everywhere, in fields the gateway reads and in those it only copies to
/// the provider alike: raw bytes that are not UTF-8, or a <c>\uD800</c>–<c>\uDFFF</c> escape that is not half of a
/// pair. Two vectorised scans over the bytes (UTF-8 validity, then a search for <c>\u</c>, which most bodies do not
/// contain); no second JSON parse.
/// </summary>
internal static class JsonText
{
    /// <summary>
    /// The byte offset of the first invalid text in <paramref name="json"/>, or -1 when there is none. Run before the JSON
    /// parser, so any bytes may come: in text that is not JSON an escape is judged as well as it can be, and the parser
    /// then says what is wrong with the rest.
    /// </summary>
    public static int FindInvalid(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return FirstInvalidUtf8(json);
        }

        var pos = 0;
        while (true)
        {
            var found = pos < json.Length ? json[pos..].IndexOf("\\u"u8) : -1;
            if (found < 0)
            {
                return -1;
            }

            var at = pos + found;
            pos = at + 2;
            if (IsEscapedBackslash(json, at))
            {
                continue; // "\\u…": a literal backslash, then the letter u
            }

            // Four hex digits follow in JSON; in anything else Hex4 is -1, not a surrogate.
            var unit = Hex4(json, at + 2);
            if (unit is < 0xD800 or > 0xDFFF)
            {
                pos = at + 6;
                continue;
            }

            if (unit >= 0xDC00
                || at + 12 > json.Length || json[at + 6] != (byte)'\\' || json[at + 7] != (byte)'u'
                || Hex4(json, at + 8) is < 0xDC00 or > 0xDFFF)
            {
                return at; // a low half alone, or a high half not followed by a low one
            }

            pos = at + 12;
        }
    }

    /// <summary>Whether the backslash at <paramref name="at"/> is the second of an escaped backslash (an odd run of them before it).</summary>
    private static bool IsEscapedBackslash(ReadOnlySpan<byte> json, int at)
    {
        var run = 0;
        while (at - run - 1 >= 0 && json[at - run - 1] == (byte)'\\')
        {
            run++;
        }

        return run % 2 == 1;
    }

    private static int Hex4(ReadOnlySpan<byte> json, int at)
    {
        if (at + 4 > json.Length)
        {
            return -1;
        }

        var value = 0;
        for (var i = at; i < at + 4; i++)
        {
            var digit = HexDigit(json[i]);
            if (digit < 0)
            {
                return -1;
            }

            value = value * 16 + digit;
        }

        return value;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>Only on a body already found invalid: where its first invalid sequence starts.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> json)
    {
        var pos = 0;
        while (pos < json.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(json[pos..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return pos;
            }

            pos += consumed;
        }

        return 0;
    }
}
