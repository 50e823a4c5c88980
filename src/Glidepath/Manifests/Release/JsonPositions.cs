using System.Text.Json;

namespace Glidepath.Manifests;

/// <summary>
/// Where each key and value of a JSON file starts (line and column, 1-based), by path (<c>/input_schema/required/0</c>,
/// segments escaped as in a JSON Pointer): a problem in a tool file is reported at its line, not at 1:1.
/// </summary>
/// <remarks>
/// <see cref="System.Text.Json.Nodes.JsonNode"/> keeps no positions and <see cref="Utf8JsonReader"/> exposes only byte
/// offsets, so one read records the offset of every token and the line is counted from the bytes when asked.
/// </remarks>
internal sealed class JsonPositions
{
    private readonly byte[] _bytes;
    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);

    private JsonPositions(byte[] bytes) => _bytes = bytes;

    /// <summary>Reads every token's offset; a file that is not valid JSON keeps the positions read before the problem.</summary>
    public static JsonPositions Of(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var positions = new JsonPositions(bytes);
        var bom = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var reader = new Utf8JsonReader(bytes.AsSpan(bom));
        var containers = new Stack<(string Path, bool IsArray, int Index)>();
        string? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                var at = reader.TokenStartIndex + bom;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingKey = containers.Peek().Path + "/" + Escape(reader.GetString() ?? "");
                        positions._keys.TryAdd(pendingKey, at);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    default:
                        var path = ValuePath(containers, pendingKey);
                        positions._values.TryAdd(path, at);
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            containers.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The caller reports invalid JSON with the parser's own position; what was read so far still locates keys.
        }

        return positions;
    }

    /// <summary>One path segment, escaped as in a JSON Pointer (<c>~</c> as <c>~0</c>, <c>/</c> as <c>~1</c>).</summary>
    public static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Where the key of the member at <paramref name="path"/> starts, or 1:1 when there is none.</summary>
    public (int Line, int Column) Key(string path) => _keys.TryGetValue(path, out var at) ? LineAndColumn(at) : (1, 1);

    /// <summary>Where the value at <paramref name="path"/> starts, or its key's position when it was not read.</summary>
    public (int Line, int Column) Value(string path) => _values.TryGetValue(path, out var at) ? LineAndColumn(at) : Key(path);

    private static string ValuePath(Stack<(string Path, bool IsArray, int Index)> containers, string? pendingKey)
    {
        if (containers.Count == 0)
        {
            return "";
        }

        var top = containers.Pop();
        containers.Push(top with { Index = top.Index + 1 });
        return top.IsArray ? $"{top.Path}/{top.Index}" : pendingKey ?? top.Path;
    }

    // Columns count characters, not bytes: a UTF-8 continuation byte (10xxxxxx) is part of the character before it.
    private (int Line, int Column) LineAndColumn(long offset)
    {
        var (line, column) = (1, 1);
        for (var i = 0; i < offset && i < _bytes.Length; i++)
        {
            if (_bytes[i] == (byte)'\n')
            {
                (line, column) = (line + 1, 1);
            }
            else if ((_bytes[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return (line, column);
    }
}
