using System.Text.Json;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>
/// The hand-written JSON of stored scores, tool calls and tags is the serializer's, byte for byte, and reads back what
/// the serializer wrote (rows stored before it), over generated values with a fixed seed.
/// </summary>
public sealed class StoredResultJsonTests
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly string[] Texts =
    [
        "", "contains", "refund window: 30 days", "quote \" and \\ backslash", "line\nbreak\ttab", "<script>&'", "é ü 日本 🙂",
        "\u0001\u001f control", "\u2028 separator", new string('x', 300),
    ];

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Scores_WrittenAsTheSerializerWritesThem_AndReadBackEqual(int seed)
    {
        var scores = GenerateScores(new Random(seed));

        var written = StoredResultJson.Scores(scores);

        Assert.Equal(JsonSerializer.Serialize<IReadOnlyList<ScoreOutcome>>(scores, SnakeCase), written);
        var read = StoredResultJson.ReadScores(written);
        Assert.Equal(written, JsonSerializer.Serialize<IReadOnlyList<ScoreOutcome>>(read, SnakeCase));
        Assert.Equal(written, JsonSerializer.Serialize(JsonSerializer.Deserialize<List<ScoreOutcome>>(written, SnakeCase), SnakeCase));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Strings_WrittenAsTheSerializerWritesThem_AndReadBackEqual(int seed)
    {
        var random = new Random(seed);
        var strings = Enumerable.Range(0, random.Next(0, 5)).Select(_ => Texts[random.Next(Texts.Length)]).ToList();

        var written = StoredResultJson.Strings(strings);

        Assert.Equal(JsonSerializer.Serialize<IReadOnlyList<string>>(strings), written);
        Assert.Equal(strings, StoredResultJson.ReadStrings(written));
    }

    [Theory]
    [InlineData("null", 0)]
    [InlineData("[]", 0)]
    [InlineData(" [ {\"scorer\" : \"a\"} ] ", 1)]
    [InlineData("[{\"scorer\":\"a\",\"extra\":5}]", 1)]
    [InlineData("[{\"scorer\":\"a\",\"score\":1,\"score\":0.5}]", 1)]
    [InlineData("[{\"scorer\":\"a\",\"metadata\":{\"k\":\"v\",\"n\":null}}]", 1)]
    public void ReadScores_WhatTheSerializerReads_ReadTheSame(string json, int count)
    {
        var read = StoredResultJson.ReadScores(json);

        Assert.Equal(count, read.Count);
        Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize<List<ScoreOutcome>>(json, SnakeCase) ?? [], SnakeCase), JsonSerializer.Serialize(read, SnakeCase));
    }

    [Theory]
    [InlineData("[{\"score\":1}]")]
    [InlineData("[{\"scorer\":\"a\",\"passed\":\"yes\"}]")]
    [InlineData("[1]")]
    [InlineData("{")]
    public void ReadScores_WhatTheSerializerRefuses_RefusedAsItWas(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<List<ScoreOutcome>>(json, SnakeCase));
        Assert.ThrowsAny<JsonException>(() => StoredResultJson.ReadScores(json));
    }

    [Theory]
    [InlineData("[{\"scorer\":\"\\ud800x\"}]")]
    [InlineData("[{\"\\udc00\":1}]")]
    [InlineData("[{\"scorer\":\"a\",\"metadata\":{\"k\":\"\\udc00\"}}]")]
    public void ReadScores_EscapedLoneSurrogate_RefusedAsTheSerializerRefusesIt(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<List<ScoreOutcome>>(json, SnakeCase));
        Assert.ThrowsAny<JsonException>(() => StoredResultJson.ReadScores(json));
    }

    [Fact]
    public void ReadStrings_EscapedLoneSurrogate_RefusedAsTheSerializerRefusesIt()
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<List<string>>("[\"\\udc00\"]"));
        Assert.ThrowsAny<JsonException>(() => StoredResultJson.ReadStrings("[\"\\udc00\"]"));
    }

    [Fact]
    public void ReadStrings_NullAndMalformed_AsTheSerializer()
    {
        Assert.Empty(StoredResultJson.ReadStrings("null"));
        Assert.Equal(["a", null!], StoredResultJson.ReadStrings("[\"a\",null]"));
        Assert.ThrowsAny<JsonException>(() => StoredResultJson.ReadStrings("[1]"));
        Assert.Equal("null", StoredResultJson.Strings(null));
    }

    [Fact]
    public void Scores_NotANumber_RefusedLikeTheSerializer()
    {
        var scores = new[] { new ScoreOutcome { Scorer = "a", Score = double.NaN } };

        Assert.ThrowsAny<ArgumentException>(() => JsonSerializer.Serialize<IReadOnlyList<ScoreOutcome>>(scores, SnakeCase));
        Assert.ThrowsAny<ArgumentException>(() => StoredResultJson.Scores(scores));
    }

    private static List<ScoreOutcome> GenerateScores(Random random) =>
    [
        .. Enumerable.Range(0, random.Next(0, 6)).Select(_ => new ScoreOutcome
        {
            Scorer = Texts[random.Next(Texts.Length)],
            Score = random.Next(4) switch { 0 => null, 1 => 1, 2 => 0, _ => random.NextDouble() * Math.Pow(10, random.Next(-8, 9)) },
            Passed = random.Next(2) == 0,
            Applicable = random.Next(4) != 0,
            Reason = random.Next(3) == 0 ? null : Texts[random.Next(Texts.Length)],
            Error = random.Next(3) == 0 ? Texts[random.Next(Texts.Length)] : null,
            Weight = random.Next(3) switch { 0 => 1, 1 => 0.25, _ => random.NextDouble() * 10 },
            Metadata = random.Next(3) == 0 ? null : Enumerable.Range(0, random.Next(0, 4)).ToDictionary(i => Texts[random.Next(Texts.Length)] + i, _ => Texts[random.Next(Texts.Length)]),
        }),
    ];
}
