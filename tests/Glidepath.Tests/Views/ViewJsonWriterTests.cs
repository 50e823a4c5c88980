using System.Buffers;
using System.Text;
using System.Text.Json;
using Glidepath.Evals.Runs;
using Glidepath.Releases;
using Glidepath.Views;

namespace Glidepath.Tests.Views;

/// <summary>The views written by hand, byte for byte as the serializer writes them with <see cref="ViewJson.Options"/>, over generated values.</summary>
public sealed class ViewJsonWriterTests
{
    private static readonly string[] Texts = ["", "v3", "quote \" backslash \\", "line\nbreak\u0001", "<b>&'", "naïve ✓ 日本語 😀", "\u2028"];

    public static TheoryData<int> Seeds() => [1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Release_SameBytesAsTheSerializer(int seed)
    {
        var random = new Random(seed);
        var view = new ReleaseView(Text(random), new string('a', 64), Text(random), random.Next(0, 1000), Maybe(random), random.Next(2) == 0, Text(random),
            DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, 700_000_000_000_000_000)).ToOffset(TimeSpan.FromMinutes(30 * random.Next(-24, 25))), Maybe(random))
        {
            AlsoRecordedAt = random.Next(2) == 0 ? null : new ProvenanceView(random.Next(1, 100), Maybe(random), random.Next(2) == 0, Text(random),
                Maybe(random), DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, 700_000_000_000_000_000))),
        };

        Assert.Equal(JsonSerializer.Serialize(view, ViewJson.Options), Written(w => ViewJsonWriter.Release(w, view)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Summary_SameBytesAsTheSerializer(int seed)
    {
        var random = new Random(seed);
        var summary = new RunSummary
        {
            ReleaseId = Text(random),
            Cases = random.Next(100_000),
            Trials = random.Next(100_000),
            Passed = random.Next(100_000),
            Failed = random.Next(100),
            Errors = random.Next(100),
            PassRate = random.Next(4) == 0 ? null : random.NextDouble(),
            MeanScore = random.Next(4) switch { 0 => null, 1 => 1, _ => random.NextDouble() },
            LatencyP50Ms = random.Next(4) == 0 ? null : random.NextDouble() * 5000,
            LatencyP95Ms = random.Next(4) switch { 0 => null, 1 => 0, _ => random.NextDouble() * 1e7 },
            CostUsd = random.Next(3) == 0 ? null : random.NextDouble() / 1000,
            JudgeCalls = random.Next(3) == 0 ? 0 : random.Next(1000),
            JudgeCostUsd = random.Next(3) == 0 ? null : random.NextDouble(),
            JudgeUnansweredCalls = random.Next(2) == 0 ? 0 : random.Next(1, 50),
            JudgeUnansweredUsd = random.Next(2) == 0 ? 0 : random.NextDouble() / 10,
        };

        Assert.Equal(JsonSerializer.Serialize(summary, ViewJson.Options), Written(w => ViewJsonWriter.Summary(w, summary)));
    }

    private static string Text(Random random) => Texts[random.Next(Texts.Length)];

    private static string? Maybe(Random random) => random.Next(3) == 0 ? null : Text(random);

    private static string Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = ViewJson.Options.Encoder }))
        {
            write(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
