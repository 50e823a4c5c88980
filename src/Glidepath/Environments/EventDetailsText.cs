using System.Globalization;
using System.Text.Json;
using Glidepath.Rollouts;

namespace Glidepath.Environments;

/// <summary>
/// A history event's details as words, for <c>glidepath history</c> and the dashboard's History page: one
/// <c>key: value</c> pair per field, durations as <c>2.3 s</c>, times in UTC, long hex ids shortened as release labels
/// are (<c>3f9c2a1b…</c>), a list of records by its count. <c>--format json</c> and the admin API keep the details as stored.
/// </summary>
public static class EventDetailsText
{
    /// <summary>
    /// The pairs, in the stored order; empty for none. A <c>warning</c> that the event's <paramref name="reason"/>
    /// already says in full (a promote or hold with a warning puts it first in its reason) is left out: said once.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(JsonElement? details, string? reason = null)
    {
        if (details is not { ValueKind: JsonValueKind.Object } d)
        {
            return [];
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var p in d.EnumerateObject())
        {
            if (p.Name == "warning" && p.Value.ValueKind == JsonValueKind.String && reason is not null
                && p.Value.GetString() is { Length: > 0 } warning && reason.Contains(warning, StringComparison.Ordinal))
            {
                continue;
            }

            pairs.Add(new(Key(p.Name), Value(p.Name, p.Value, nested: false)));
        }

        return pairs;
    }

    /// <summary>The pairs on one line, <c>key: value; key: value</c>, or "" for none (a warning the reason says left out, as in <see cref="Pairs"/>).</summary>
    public static string Line(JsonElement? details, string? reason = null) => string.Join("; ", Pairs(details, reason).Select(p => $"{p.Key}: {p.Value}"));

    // "was_frozen_for_seconds" reads "was frozen for": the unit is in the value.
    private static string Key(string name) =>
        (name.EndsWith("_seconds", StringComparison.Ordinal) ? name[..^"_seconds".Length] : name).Replace('_', ' ');

    private static string Value(string name, JsonElement v, bool nested) => v.ValueKind switch
    {
        JsonValueKind.String => Text(v.GetString()!),
        JsonValueKind.Number when name.EndsWith("_seconds", StringComparison.Ordinal) && v.TryGetDouble(out var s) => Duration(TimeSpan.FromSeconds(s)),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => List(name, v),
        JsonValueKind.Object when !nested => "{" + string.Join(", ", v.EnumerateObject().Select(p => $"{Key(p.Name)}: {Value(p.Name, p.Value, nested: true)}")) + "}",
        JsonValueKind.Object => "{…}",
        _ => "-",
    };

    private static string List(string name, JsonElement array)
    {
        var n = array.GetArrayLength();
        if (n == 0)
        {
            return "(none)";
        }

        return array.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            ? string.Join(", ", array.EnumerateArray().Select(e => Value(name, e, nested: true)))
            : n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " entry" : " entries");
    }

    private static string Text(string s)
    {
        if (s.Length >= 32 && s.All(char.IsAsciiHexDigitLower))
        {
            return s[..8] + "…";
        }

        // A TimeSpan as .NET writes it ("c": [d.]hh:mm:ss[.fffffff]), as unfreeze stored was_frozen_for until 2026-12-06.
        if (s.Contains(':', StringComparison.Ordinal) && !s.Contains('T', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(s, "c", CultureInfo.InvariantCulture, out var span))
        {
            return Duration(span);
        }

        if (s.Length >= 19 && s[4] == '-' && s[10] == 'T'
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
        {
            return time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        }

        return s;
    }

    /// <summary>Under a minute to a tenth of a second (<c>2.3 s</c>), else as a rollout's durations read (<c>5m3s</c>, <c>2h0m</c>).</summary>
    private static string Duration(TimeSpan t) => t.TotalSeconds < 60
        ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : RolloutView.Duration(t);
}
