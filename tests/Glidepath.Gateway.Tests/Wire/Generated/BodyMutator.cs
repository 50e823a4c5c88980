using System.Text;
using System.Text.Json.Nodes;

namespace Glidepath.Gateway.Tests.Wire.Generated;

/// <summary>
/// Mutates a valid body as an attacker or a careless client would: type swaps, deleted and unknown fields, deep
/// nesting, odd Unicode, huge numbers, duplicate keys, truncation. Every choice is read from <see cref="Choices"/>, a
/// plain int array that CsCheck generates and shrinks, so a counterexample shrinks to the fewest, simplest mutations.
/// </summary>
internal sealed class BodyMutator
{
    private static readonly string[] RawValues =
    [
        "0", "-1", "1.5", "1e30", "-1e30", "1e400", "-1e400", "1E-400", "9223372036854775808", "-0", "123456789012345678901234567890",
        "\"\"", "\"x\"", "true", "false", "null", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}",
        "\"\\ud800\"", "\"\\udfff tail\"", "\"\\u0000\"", "{\"type\":\"text\"}", "[{\"type\":\"image_url\"}]", "{\"name\":\"\"}",
    ];

    private static readonly string[] OddStrings =
    [
        "\"\\ud83d\"", "\"\\u0000\\u0001\"", "\"\u202Eevil\"", "\"👩‍👩‍👧 e\u0301\"", "\"\uFEFF\"", "\"\"", "\"   \"",
        "\"data:\"", "\"data:image/png;base64,%%%\"", "\"http://\"", "\"javascript:alert(1)\"", "\"support-agent@\"", "\"@staging\"",
    ];

    private readonly int[] _choices;
    private readonly List<(string Marker, string Raw)> _raw = [];
    private int _next;

    public BodyMutator(int[] choices)
    {
        _choices = choices.Length == 0 ? [0] : choices;
    }

    public int[] Choices => _choices;

    /// <summary>Applies 1, 2 or 4 mutations to <paramref name="valid"/> and returns the body text.</summary>
    public string Mutate(string valid)
    {
        var root = JsonNode.Parse(valid)!;
        var count = (Next() % 6) switch { < 3 => 1, < 5 => 2, _ => 4 };
        for (var i = 0; i < count; i++)
        {
            root = Apply(root);
        }

        var text = root.ToJsonString();
        // Newest first: a later raw value may contain an earlier marker (a nested or duplicated node).
        for (var i = _raw.Count - 1; i >= 0; i--)
        {
            text = text.Replace("\"" + _raw[i].Marker + "\"", _raw[i].Raw, StringComparison.Ordinal);
        }

        return (Next() % 16) switch
        {
            0 => text[..(Next() % Math.Max(1, text.Length))],               // truncated
            1 => "\uFEFF" + text,                                         // byte order mark
            2 => text + Pick(["x", "}", ",", "\u0000", " {\"a\":1}"]),     // trailing garbage
            _ => text,
        };
    }

    private JsonNode Apply(JsonNode root)
    {
        var slots = new List<(JsonNode Parent, string? Key, int Index)>();
        Collect(root, slots);
        if (slots.Count == 0)
        {
            return Raw(Pick(RawValues));
        }

        var (parent, key, index) = slots[Next() % slots.Count];
        switch (Next() % 8)
        {
            case 0:
                Remove(parent, key, index);
                break;
            case 1:
            case 2:
                Set(parent, key, index, Raw(Pick(RawValues)));
                break;
            case 3:
                Set(parent, key, index, Raw(Nest(Get(parent, key, index)?.ToJsonString() ?? "null", Next() % 4 == 0 ? 60 + (Next() % 200) : 1 + (Next() % 30))));
                break;
            case 4:
                Set(parent, key, index, Raw(Pick(OddStrings)));
                break;
            case 5 when parent is JsonObject o:
                // a duplicate key right after this one (JSON allows it; readers differ on which wins)
                o[key!] = Raw((Get(parent, key, index)?.ToJsonString() ?? "null") + ",\"" + key + "\":" + Pick(RawValues));
                break;
            case 6 when Get(parent, key, index) is JsonObject target:
                target["x_" + (Next() % 5).ToString(System.Globalization.CultureInfo.InvariantCulture)] = Raw(Pick(RawValues));
                break;
            default:
                Set(parent, key, index, Raw("\"" + new string('a', 1 + (Next() % 20_000)) + "\""));
                break;
        }

        return root;
    }

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> slots)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    slots.Add((o, k, -1));
                    if (v is not null)
                    {
                        Collect(v, slots);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, null, i));
                    if (a[i] is { } v)
                    {
                        Collect(v, slots);
                    }
                }

                break;
        }
    }

    private static JsonNode? Get(JsonNode parent, string? key, int index) => parent is JsonObject o ? o[key!] : ((JsonArray)parent)[index];

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[key!] = value;
        }
        else
        {
            ((JsonArray)parent)[index] = value;
        }
    }

    private static void Remove(JsonNode parent, string? key, int index)
    {
        if (parent is JsonObject o)
        {
            o.Remove(key!);
        }
        else
        {
            ((JsonArray)parent).RemoveAt(index);
        }
    }

    private string Nest(string inner, int depth)
    {
        var open = new StringBuilder();
        var close = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            var array = Next() % 2 == 0;
            open.Append(array ? "[" : "{\"k\":");
            close.Insert(0, array ? "]" : "}");
        }

        return open + inner + close;
    }

    /// <summary>A placeholder string node replaced by <paramref name="raw"/> JSON text after serialization.</summary>
    private JsonNode Raw(string raw)
    {
        var marker = "@@raw" + _raw.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@@";
        _raw.Add((marker, raw));
        return JsonValue.Create(marker);
    }

    private string Pick(string[] options) => options[Next() % options.Length];

    private int Next()
    {
        var value = _choices[_next % _choices.Length];
        _next++;
        return Math.Abs(value);
    }
}
