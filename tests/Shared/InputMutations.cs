using System.Text;
using CsCheck;

namespace Glidepath.Testing;

/// <summary>
/// Generated bad inputs for the property suite (issue 13): a valid text with one to three mutations:
/// truncation, type swaps, deep nesting, odd Unicode, huge numbers, duplicated or dropped lines, and
/// non-scalar keys. Runs are deterministic: <see cref="Deterministic"/> draws from a fixed PCG seed.
/// </summary>
internal static class InputMutations
{
    private static readonly string[] YamlValues =
    [
        "[]", "{}", "[[[[1]]]]", "{a: {b: {c: d}}}", "null", "~", "''", "-1", "0", "1e309", "-1e309", "99999999999999999999999999",
        "9223372036854775808", ".nan", ".inf", "0x1F", "true", "\"\\u0000\"", "\"\\uD800\"", "\u202E", "😀", "&a x", "*a", "*nope",
        "!!binary AAAA", "{ [a]: 1 }", "{ {a: 1}: 2 }", "|\n  text", "99999999999999d", "-5", "lots", "[*a, *a]", "!custom x", "'unterminated",
    ];

    private static readonly string[] JsonValues =
    [
        "[]", "{}", "[[[[1]]]]", "{\"a\":{\"b\":1}}", "null", "-1", "0", "1e309", "-1e400", "99999999999999999999999999", "12345", "[12345]",
        "true", "false", "\"\\u0000\"", "\"\\uD800\"", "\"\u202E\"", "\"😀\"", "[\"hello\"]", "[1]", "{\"name\":1}", "[{}]", "\"", "NaN", "-0",
    ];

    private static readonly string[] Junk =
    [
        "\u0000", "\uFEFF", "\u202E", "\u0301", "😀", "\uD800", "\uDFFF", "\t", "\r", "\n", "\"", "'", "{", "}", "[", "]", ":", "- ", "#",
        "&", "*", "!", "%", "@", "`", "|", ">", "\\", "ÿ", "𝔘", "\u2028", ",",
    ];

    /// <summary>One mutation: its kind, where (a fraction of the text), which replacement, and how deep.</summary>
    public readonly record struct Mutation(int Kind, double At, int Pick, int Depth);

    public static readonly Gen<Mutation[]> Mutations =
        Gen.Select(Gen.Int[0, 8], Gen.Double.Unit, Gen.Int[0, 1000], Gen.OneOf(Gen.Int[1, 40], Gen.Int[1, 50_000]))
            .Select((k, at, pick, depth) => new Mutation(k, at, pick, depth))
            .Array[1, 3];

    /// <summary>Applies the mutations to <paramref name="text"/>; <paramref name="json"/> picks JSON values for type swaps.</summary>
    public static string Apply(string text, Mutation[] mutations, bool json)
    {
        foreach (var m in mutations)
        {
            text = Apply(text, m, json);
        }

        return text;
    }

    /// <summary>
    /// Draws <paramref name="count"/> values from a fixed seed, so CI tries the same inputs every run. Each
    /// comes with its CsCheck seed: <c>gen.Sample(assert, seed: thatSeed)</c> reproduces and shrinks it.
    /// </summary>
    public static IEnumerable<(T Value, string Seed)> Deterministic<T>(Gen<T> gen, int count, uint stream)
    {
        for (var i = 0; i < count; i++)
        {
            var seed = new PCG(stream, SplitMix((ulong)i)).ToString();
            yield return (gen.Generate(PCG.Parse(seed), null!, out _), seed);
        }
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static string Apply(string text, Mutation m, bool json)
    {
        var pos = Math.Clamp((int)(m.At * text.Length), 0, text.Length);
        var values = json ? JsonValues : YamlValues;
        return m.Kind switch
        {
            0 => text[..pos],
            1 => ReplaceValue(text, pos, values[m.Pick % values.Length], json),
            2 => ReplaceValue(text, pos, Nest(m.Depth, m.Pick, json), json),
            3 => text.Insert(pos, Junk[m.Pick % Junk.Length]),
            4 => ReplaceNumber(text, pos, m.Pick % 2 == 0 ? "1" + new string('9', Math.Min(m.Depth, 400)) : "-1e" + m.Depth),
            5 => DuplicateLine(text, pos, json),
            6 => text.Remove(pos, Math.Min(m.Depth % 64, text.Length - pos)),
            7 => json ? ReplaceValue(text, pos, "{\"id\":\"x\",\"id\":\"y\"}", json) : NonScalarKey(text, pos, m.Pick),
            _ => ReplaceValue(text, pos, m.Pick % 2 == 0 ? "\"" + new string('x', m.Depth * 4) + "\"" : Nest(Math.Min(m.Depth, 64), m.Pick, json), json),
        };
    }

    private static string Nest(int depth, int pick, bool json) => (pick % 3, json) switch
    {
        (0, _) => new string('[', depth) + new string(']', depth),
        (1, true) => Repeat("{\"a\":", depth) + "1" + new string('}', depth),
        (1, false) => Repeat("{a: ", depth) + "1" + new string('}', depth),
        _ => Repeat("[1,", depth) + new string(']', depth),
    };

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    /// <summary>Replaces the value after the first ':' at or after <paramref name="pos"/>, up to the end of its line (YAML) or token (JSON).</summary>
    private static string ReplaceValue(string text, int pos, string value, bool json)
    {
        var colon = text.IndexOf(':', pos);
        if (colon < 0)
        {
            return text + value;
        }

        var end = colon + 1;
        if (json)
        {
            var depth = 0;
            for (; end < text.Length; end++)
            {
                var c = text[end];
                if (c is '[' or '{')
                {
                    depth++;
                }
                else if (c is ']' or '}')
                {
                    if (depth-- == 0)
                    {
                        break;
                    }
                }
                else if (c == ',' && depth == 0)
                {
                    break;
                }
            }
        }
        else
        {
            end = text.IndexOf('\n', colon);
            end = end < 0 ? text.Length : end;
        }

        return text[..(colon + 1)] + (json ? "" : " ") + value + text[end..];
    }

    private static string ReplaceNumber(string text, int pos, string number)
    {
        for (var i = pos; i < text.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                var end = i;
                while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
                {
                    end++;
                }

                return text[..i] + number + text[end..];
            }
        }

        return text;
    }

    private static string DuplicateLine(string text, int pos, bool json)
    {
        if (json)
        {
            var brace = text.IndexOf('{', Math.Min(pos, text.Length));
            return brace < 0 ? text : text.Insert(brace + 1, "\"id\":\"dup\",");
        }

        var start = text.LastIndexOf('\n', Math.Max(0, Math.Min(pos, text.Length - 1))) + 1;
        var end = text.IndexOf('\n', start);
        var line = end < 0 ? text[start..] : text[start..(end + 1)];
        return text.Insert(start, line.EndsWith('\n') ? line : line + "\n");
    }

    private static string NonScalarKey(string text, int pos, int pick)
    {
        var colon = text.IndexOf(": ", pos, StringComparison.Ordinal);
        if (colon < 0)
        {
            return text;
        }

        var start = text.LastIndexOf('\n', colon) + 1;
        while (start < colon && text[start] == ' ')
        {
            start++;
        }

        var key = pick % 2 == 0 ? "{ k: 1 }" : "[a, b]";
        return text[..start] + key + text[colon..];
    }
}
