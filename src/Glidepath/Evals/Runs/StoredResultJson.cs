using System.Buffers;
using System.Text;
using System.Text.Json;
using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Runs;

/// <summary>
/// The JSON a trial's scores and tool calls (and a run's tags) are stored as, written and read by hand in the format
/// <c>JsonSerializer</c> wrote them (scores with snake_case names, without indentation), byte for byte
/// (StoredResultJsonTests compares both over generated values).
/// </summary>
/// <remarks>
/// Every eval run and gate writes each result through here. The serializer's reflection-based first use of these
/// types builds their metadata, emits accessors and starts its default converters: about a hundred methods compiled at
/// start-up, paid by every short run. Anything the reader does not recognise (another property, a duplicate, a value of
/// another type, an unknown form) is left to the serializer, so every row written before stays readable as it was.
/// </remarks>
public static class StoredResultJson
{
    // Text that is not valid Unicode (a lone surrogate) is the serializer's to refuse, as it did.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A list of strings (tool calls, tags) as <c>JsonSerializer.Serialize</c> writes it.</summary>
    public static string Strings(IReadOnlyList<string>? values) => Write(w =>
    {
        if (values is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartArray();
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    });

    /// <summary>The strings stored by <see cref="Strings"/> (or by the serializer); none for <c>null</c>.</summary>
    public static List<string> ReadStrings(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Try(() => TryReadStrings(StrictUtf8.GetBytes(json))) ?? Fallback<List<string>>(json, null);
    }

    /// <summary>Scores as <c>JsonSerializer.Serialize</c> with snake_case property names writes them.</summary>
    public static string Scores(IReadOnlyList<ScoreOutcome>? scores) => Write(w =>
    {
        if (scores is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartArray();
        foreach (var s in scores)
        {
            if (s is null)
            {
                w.WriteNullValue();
                continue;
            }

            w.WriteStartObject();
            w.WriteString("scorer", s.Scorer);
            Number(w, "score", s.Score);
            w.WriteBoolean("passed", s.Passed);
            w.WriteBoolean("applicable", s.Applicable);
            w.WriteString("reason", s.Reason);
            w.WriteString("error", s.Error);
            w.WriteNumber("weight", s.Weight);
            if (s.Metadata is null)
            {
                w.WriteNull("metadata");
            }
            else
            {
                w.WriteStartObject("metadata");
                foreach (var (key, value) in s.Metadata)
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary>The scores stored by <see cref="Scores"/> (or by the serializer); none for <c>null</c>.</summary>
    public static List<ScoreOutcome> ReadScores(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Try(() => TryReadScores(StrictUtf8.GetBytes(json))) ?? Fallback<List<ScoreOutcome>>(json, SnakeCase);
    }

    private delegate T? ElementReader<T>(ref Utf8JsonReader r)
        where T : class;

    private static List<string>? TryReadStrings(byte[] utf8) =>
        TryReadArray(utf8, static (ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String ? r.GetString() : null);

    private static List<ScoreOutcome>? TryReadScores(byte[] utf8) =>
        TryReadArray(utf8, static (ref Utf8JsonReader r) => r.TokenType == JsonTokenType.StartObject ? TryReadScore(ref r) : null);

    /// <summary><c>null</c> (none) or an array whose every element <paramref name="element"/> reads; null for anything else.</summary>
    private static List<T>? TryReadArray<T>(byte[] utf8, ElementReader<T> element)
        where T : class
    {
        var r = new Utf8JsonReader(utf8);
        var list = new List<T>();
        if (!r.Read())
        {
            return null;
        }

        if (r.TokenType == JsonTokenType.Null)
        {
            return r.Read() ? null : list;
        }

        if (r.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (element(ref r) is not { } value)
            {
                return null;
            }

            list.Add(value);
        }

        return r.TokenType == JsonTokenType.EndArray && !r.Read() ? list : null;
    }

    private static ScoreOutcome? TryReadScore(ref Utf8JsonReader r)
    {
        string? scorer = null, reason = null, error = null;
        double? score = null;
        bool passed = false, applicable = true;
        double weight = 1;
        Dictionary<string, string>? metadata = null;
        var seen = 0;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var bit = r.ValueTextEquals("scorer"u8) ? 1 : r.ValueTextEquals("score"u8) ? 2 : r.ValueTextEquals("passed"u8) ? 4
                : r.ValueTextEquals("applicable"u8) ? 8 : r.ValueTextEquals("reason"u8) ? 16 : r.ValueTextEquals("error"u8) ? 32
                : r.ValueTextEquals("weight"u8) ? 64 : r.ValueTextEquals("metadata"u8) ? 128 : 0;
            if (bit == 0 || (seen & bit) != 0 || !r.Read())
            {
                return null;
            }

            seen |= bit;
            var ok = bit switch
            {
                1 => r.TokenType == JsonTokenType.String && (scorer = r.GetString()) is not null,
                2 => r.TokenType == JsonTokenType.Null || (r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var v) && (score = v) is not null),
                4 => Bool(ref r, out passed),
                8 => Bool(ref r, out applicable),
                16 => OptionalString(ref r, out reason),
                32 => OptionalString(ref r, out error),
                64 => r.TokenType == JsonTokenType.Number && r.TryGetDouble(out weight),
                _ => r.TokenType == JsonTokenType.Null || (r.TokenType == JsonTokenType.StartObject && (metadata = ReadMetadata(ref r)) is not null),
            };
            if (!ok)
            {
                return null;
            }
        }

        return r.TokenType == JsonTokenType.EndObject && scorer is not null
            ? new ScoreOutcome { Scorer = scorer, Score = score, Passed = passed, Applicable = applicable, Reason = reason, Error = error, Weight = weight, Metadata = metadata }
            : null;
    }

    private static Dictionary<string, string>? ReadMetadata(ref Utf8JsonReader r)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = r.GetString()!;
            if (!r.Read() || r.TokenType != JsonTokenType.String || !metadata.TryAdd(key, r.GetString()!))
            {
                return null;
            }
        }

        return r.TokenType == JsonTokenType.EndObject ? metadata : null;
    }

    private static bool Bool(ref Utf8JsonReader r, out bool value)
    {
        value = r.TokenType == JsonTokenType.True;
        return r.TokenType is JsonTokenType.True or JsonTokenType.False;
    }

    private static bool OptionalString(ref Utf8JsonReader r, out string? value)
    {
        value = r.TokenType == JsonTokenType.String ? r.GetString() : null;
        return r.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Malformed JSON, an escaped lone surrogate (InvalidOperationException from the reader) or a string that is not
    // valid Unicode (EncoderFallbackException) is the serializer's to report, as it was.
    private static T? Try<T>(Func<T?> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static T Fallback<T>(string json, JsonSerializerOptions? options)
        where T : new() => JsonSerializer.Deserialize<T>(json, options ?? JsonSerializerOptions.Default) ?? new T();
}
