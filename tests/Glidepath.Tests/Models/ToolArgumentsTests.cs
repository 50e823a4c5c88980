using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Models;

namespace Glidepath.Tests.Models;

/// <summary>
/// Tool-call arguments written and read without the reflection serializer must be what the serializer writes and reads:
/// the eval runner stores <c>name(arguments)</c> per trial and the gate compares them across runs.
/// </summary>
public sealed class ToolArgumentsTests
{
    private const string Awkward = "é<>&'\"\\\u0001\u2028 ☃ 😀 \t\n";

    [Fact]
    public void ToJson_GeneratedArguments_ByteForByteTheSerializers()
    {
        var random = new Random(19);
        for (var i = 0; i < 2000; i++)
        {
            var arguments = Map(random, depth: 0);
            Assert.Equal(JsonSerializer.Serialize(arguments), ToolArguments.ToJson(arguments));
        }
    }

    [Fact]
    public void ToJson_NullArguments_IsAnEmptyObject() => Assert.Equal("{}", ToolArguments.ToJson(null));

    [Fact]
    public void ToJson_OtherValueTypes_HandedToTheSerializer()
    {
        var arguments = new Dictionary<string, object?> { ["f"] = 1.5f, ["t"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), ["o"] = new { a = 1 }, ["l"] = new List<int> { 1, 2 } };
        Assert.Equal(JsonSerializer.Serialize(arguments), ToolArguments.ToJson(arguments));
        Assert.False(ToolArguments.TryWriteValue(new Utf8JsonWriter(Stream.Null), 1.5f));
    }

    [Fact]
    public void ToJson_NotFiniteNumber_FailsAsTheSerializerDoes()
    {
        var arguments = new Dictionary<string, object?> { ["x"] = double.NaN };
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(arguments));
        Assert.Throws<ArgumentException>(() => ToolArguments.ToJson(arguments));
    }

    [Theory]
    [InlineData("""{"a":1,"b":"x","c":null,"d":[1,{"e":true}],"f":{"g":2.5}}""")]
    [InlineData("""{}""")]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"é<":"😀"}""")]
    public void Parse_ReadsWhatTheSerializerReads(string json)
    {
        var expected = JsonSerializer.Deserialize<IDictionary<string, object?>>(json)!;
        var actual = ToolArguments.Parse(json)!;
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value?.GetType(), actual[key]?.GetType());
        }

        Assert.Equal(JsonSerializer.Serialize(expected), ToolArguments.ToJson(actual));
    }

    [Fact]
    public void Parse_JsonNull_IsNull() => Assert.Null(ToolArguments.Parse("null"));

    [Theory]
    [InlineData("[1]")]
    [InlineData("5")]
    [InlineData("\"x\"")]
    [InlineData("{\"a\":")]
    [InlineData("not json")]
    public void Parse_NotAnObject_ThrowsJsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<IDictionary<string, object?>>(json));
        Assert.ThrowsAny<JsonException>(() => ToolArguments.Parse(json));
    }

    private static Dictionary<string, object?> Map(Random random, int depth)
    {
        var map = new Dictionary<string, object?>();
        var count = random.Next(depth == 0 ? 6 : 3);
        for (var i = 0; i < count; i++)
        {
            map[Text(random) + i] = Value(random, depth);
        }

        return map;
    }

    private static object? Value(Random random, int depth) => random.Next(depth < 2 ? 11 : 9) switch
    {
        0 => null,
        1 => Text(random),
        2 => random.Next(2) == 0,
        3 => random.Next(int.MinValue, int.MaxValue),
        4 => random.NextInt64(),
        5 => Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 20)), random.Next(0, 8)),
        6 => (decimal)random.Next() / 1000m,
        7 => JsonDocument.Parse($"{{\"k\":[1,\"{Text(random).Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\u0001", "\\u0001")}\",null,2.50]}}").RootElement.Clone(),
        8 => JsonNode.Parse("""{"n":{"m":[true,false]}}"""),
        9 => Map(random, depth + 1),
        _ => new List<object?> { Value(random, depth + 1), Value(random, depth + 1) },
    };

    private static string Text(Random random)
    {
        var length = random.Next(0, 12);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(4) == 0 ? Awkward[random.Next(Awkward.Length)] : (char)random.Next('a', 'z' + 1);
        }

        return new string(chars).Replace("\ud83d", "").Replace("\ude00", ""); // no lone surrogates: neither side writes them
    }
}
