#pragma warning disable MEAI001 // the experimental token counts are part of what is cached
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Providers.Caching;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Tests.Caching;

/// <summary>
/// Cached answers are written and read by hand in the serializer's format: every entry the serializer wrote before must
/// read back the same, the serializer must read every entry written now, and anything outside what the hand-written
/// code knows goes to the serializer on both sides.
/// </summary>
public sealed class CachedResponseJsonTests
{
    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    [Fact]
    public void GeneratedAnswers_WrittenAsTheSerializerWritesThem_AndReadBackTheSame()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var response = Answer(random);
            var expected = JsonSerializer.Serialize(response, Compact);

            var written = CachedResponseWriter.TryWrite(response);
            Assert.NotNull(written);
            Assert.Equal(expected, written);

            // The serializer reads what is written here, and the reader reads what the serializer wrote (indented, as
            // older entries are): both give back the same answer.
            var bySerializer = JsonSerializer.Deserialize<ChatResponse>(written, AIJsonUtilities.DefaultOptions)!;
            var byReader = CachedResponseReader.TryRead(JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions));
            Assert.NotNull(byReader);
            Assert.Equal(expected, JsonSerializer.Serialize(bySerializer, Compact));
            Assert.Equal(expected, JsonSerializer.Serialize(byReader, Compact));
            AssertSameTypes(bySerializer, byReader);
        }
    }

    [Fact]
    public void OtherContent_LeftToTheSerializer_OnBothSides()
    {
        var answers = new[]
        {
            new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("thinking")])),
            new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("a") { Annotations = [new CitationAnnotation { Title = "t" }] }])),
            new ChatResponse(new ChatMessage(ChatRole.Assistant, [new DataContent(new byte[] { 1, 2 }, "image/png")])),
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "a")) { AdditionalProperties = new() { ["when"] = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) } },
            new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c", "f", new Dictionary<string, object?> { ["x"] = 1.5f })])),
        };
        foreach (var response in answers)
        {
            Assert.Null(CachedResponseWriter.TryWrite(response));
            var json = JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions);
            if (!json.Contains("\"x\": 1.5", StringComparison.Ordinal) && !json.Contains("\"when\"", StringComparison.Ordinal))
            {
                Assert.Null(CachedResponseReader.TryRead(json)); // a content kind or property only the serializer reads
            }
        }
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"a"}]}],"somethingNew":1}""")]
    [InlineData("""{"messages":[{"role":"assistant","contents":[{"text":"a","$type":"text"}]}]}""")]
    [InlineData("""{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"a","annotations":[]}]}]}""")]
    [InlineData("""{"messages":[],"usage":{"inputTokenCount":1,"futureCount":2}}""")]
    [InlineData("""[1]""")]
    public void UnknownShapes_ReturnNull(string json) => Assert.Null(CachedResponseReader.TryRead(json));

    [Theory]
    [InlineData("""{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"a"}]}],"messages":[{"role":"user","contents":[{"$type":"text","text":"b"},{"$type":"text","text":"c"}],"contents":[{"$type":"text","text":"d"}]}]}""")]
    [InlineData("""{"messages":[],"modelId":"a","modelId":"b","usage":{"inputTokenCount":1,"inputTokenCount":2}}""")]
    public void RepeatedKeys_LastOneWins_AsWithTheSerializer(string json)
    {
        var expected = JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions)!;
        var actual = CachedResponseReader.TryRead(json);

        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected, Compact), JsonSerializer.Serialize(actual, Compact));
    }

    [Theory]
    [InlineData("""{"messages":[],"modelId":5}""")]
    [InlineData("""{"messages":[],"usage":{"inputTokenCount":"x"}}""")]
    [InlineData("""{"messages":[""")]
    public void MalformedEntries_ThrowAsTheSerializerDoes(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions));
        Assert.ThrowsAny<JsonException>(() => CachedResponseReader.TryRead(json));
    }

    [Fact]
    public void PlainMessages_KeyedAsTheSerializerWritesThem()
    {
        var info = AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage));
        var random = new Random(3);
        foreach (var role in new[] { ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, new ChatRole("custom") })
        {
            for (var i = 0; i < 200; i++)
            {
                var message = new ChatMessage(role, [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => new TextContent(Text(random)))]);
                Assert.True(ResponseCacheKey.IsPlain(message));
                Assert.Equal(Write(w => JsonSerializer.Serialize(w, message, info)), Write(w => ResponseCacheKey.WritePlain(w, message)));
            }
        }

        Assert.False(ResponseCacheKey.IsPlain(new ChatMessage(ChatRole.User, "a") { AuthorName = "b" }));
        Assert.False(ResponseCacheKey.IsPlain(new ChatMessage(ChatRole.User, [new TextContent("a") { AdditionalProperties = new() { ["k"] = 1 } }])));
        Assert.False(ResponseCacheKey.IsPlain(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c", "r")])));
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            write(w);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void AssertSameTypes(ChatResponse expected, ChatResponse actual)
    {
        Assert.Equal(expected.Messages.Count, actual.Messages.Count);
        for (var m = 0; m < expected.Messages.Count; m++)
        {
            Assert.Equal(expected.Messages[m].Contents.Select(c => c.GetType()), actual.Messages[m].Contents.Select(c => c.GetType()));
            var calls = expected.Messages[m].Contents.OfType<FunctionCallContent>().Zip(actual.Messages[m].Contents.OfType<FunctionCallContent>());
            foreach (var (e, a) in calls)
            {
                Assert.Equal(e.Arguments?.Select(kv => kv.Value?.GetType()), a.Arguments?.Select(kv => kv.Value?.GetType()));
            }
        }

        Assert.Equal(expected.AdditionalProperties?.Select(kv => kv.Value?.GetType()), actual.AdditionalProperties?.Select(kv => kv.Value?.GetType()));
    }

    private static ChatResponse Answer(Random random)
    {
        var messages = Enumerable.Range(0, random.Next(0, 3)).Select(_ => Message(random)).ToList();
        var response = new ChatResponse(messages)
        {
            ResponseId = Maybe(random, "resp_" + random.Next()),
            ConversationId = Maybe(random, Text(random)),
            ModelId = Maybe(random, "gpt-" + Text(random)),
            CreatedAt = random.Next(2) == 0 ? null : new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(random.Next(-12, 13))).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay)),
            FinishReason = random.Next(5) switch { 0 => null, 1 => ChatFinishReason.Stop, 2 => ChatFinishReason.ToolCalls, 3 => ChatFinishReason.Length, _ => new ChatFinishReason("weird") },
            AdditionalProperties = Properties(random),
        };
        if (random.Next(3) > 0)
        {
            response.Usage = new UsageDetails
            {
                InputTokenCount = MaybeCount(random),
                OutputTokenCount = MaybeCount(random),
                TotalTokenCount = MaybeCount(random),
                CachedInputTokenCount = MaybeCount(random),
                ReasoningTokenCount = MaybeCount(random),
                InputAudioTokenCount = MaybeCount(random),
                InputTextTokenCount = MaybeCount(random),
                OutputAudioTokenCount = MaybeCount(random),
                OutputTextTokenCount = MaybeCount(random),
                AdditionalCounts = random.Next(2) == 0 ? null : new() { ["x_" + Text(random)] = random.NextInt64() },
            };
        }

        return response;
    }

    private static ChatMessage Message(Random random)
    {
        var contents = new List<AIContent>();
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            AIContent content = random.Next(2) == 0
                ? new TextContent(Text(random))
                : new FunctionCallContent("call_" + random.Next(), Text(random) + "f", random.Next(4) == 0 ? null : new Dictionary<string, object?>
                {
                    ["id"] = Text(random),
                    ["n"] = random.Next(),
                    ["ok"] = random.Next(2) == 0,
                    ["none"] = null,
                    ["raw"] = JsonDocument.Parse("""{"a":[1,2.5,"é"]}""").RootElement.Clone(),
                })
                { InformationalOnly = random.Next(2) == 0 };
            content.AdditionalProperties = Properties(random);
            contents.Add(content);
        }

        return new ChatMessage(random.Next(3) switch { 0 => ChatRole.Assistant, 1 => ChatRole.Tool, _ => new ChatRole("other") }, contents)
        {
            AuthorName = Maybe(random, Text(random)),
            MessageId = Maybe(random, "msg_" + random.Next()),
            CreatedAt = random.Next(2) == 0 ? null : DateTimeOffset.UnixEpoch.AddSeconds(random.Next()),
            AdditionalProperties = Properties(random),
        };
    }

    private static AdditionalPropertiesDictionary? Properties(Random random) => random.Next(3) != 0 ? null : new()
    {
        ["s"] = Text(random),
        ["b"] = true,
        ["i"] = random.Next(),
        ["l"] = random.NextInt64(),
        ["d"] = random.NextDouble(),
        ["n"] = null,
        ["e"] = JsonDocument.Parse("[1,{\"k\":null}]").RootElement.Clone(),
        ["node"] = new JsonObject { ["x"] = 1 },
    };

    private static string? Maybe(Random random, string value) => random.Next(2) == 0 ? null : value;

    private static long? MaybeCount(Random random) => random.Next(3) == 0 ? null : random.Next(0, 100_000);

    private static string Text(Random random)
    {
        const string awkward = "é<>&'\"\\\u0001\u2028☃ \t\n";
        var chars = new char[random.Next(0, 16)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(4) == 0 ? awkward[random.Next(awkward.Length)] : (char)random.Next('a', 'z' + 1);
        }

        return new string(chars);
    }
}
