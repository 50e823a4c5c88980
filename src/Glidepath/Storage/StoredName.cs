using System.Text.Json;

namespace Glidepath.Storage;

/// <summary>
/// The one mapping between a state enum and the string the store and JSON output hold: the member name in
/// snake_case (<c>Running</c> ↔ <c>running</c>). The strings predate the enums, so the mapping never changes them.
/// </summary>
public static class StoredName
{
    public static string Of<T>(T value)
        where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a defined {typeof(T).Name}");

    /// <summary>The value stored as <paramref name="name"/>; a <see cref="FormatException"/> for a string no value maps to.</summary>
    public static T Parse<T>(string name)
        where T : struct, Enum =>
        Names<T>.ByName.TryGetValue(name, out var value)
            ? value
            : throw new FormatException($"'{name}' is not a {typeof(T).Name}; expected one of: {string.Join(", ", Names<T>.ByValue.Values)}");

    private static class Names<T>
        where T : struct, Enum
    {
        // Plain dictionaries: a few entries each, and a frozen one costs a short CLI run more to build (its
        // specialised code is compiled for every enum type) than it saves on lookups.
        public static readonly Dictionary<T, string> ByValue =
            Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
    }
}
