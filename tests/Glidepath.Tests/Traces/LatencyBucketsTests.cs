using System.Text.Json;
using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class LatencyBucketsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ToSparseJson_IsTheSerializersText_AndReadsBack(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var histogram = new long[82];
            var filled = random.Next(0, 83);
            for (var k = 0; k < filled; k++)
            {
                histogram[random.Next(82)] = random.Next(4) switch { 0 => long.MaxValue, 1 => random.NextInt64(), _ => random.Next(1, 1000) };
            }

            var sparse = new SortedDictionary<int, long>();
            for (var i = 0; i < histogram.Length; i++)
            {
                if (histogram[i] != 0)
                {
                    sparse[i] = histogram[i];
                }
            }

            var json = LatencyBuckets.ToSparseJson(histogram);

            Assert.Equal(JsonSerializer.Serialize(sparse), json);
            var back = new long[82];
            LatencyBuckets.AddSparseJson(back, json);
            Assert.Equal(histogram, back);
        }
    }

    [Fact]
    public void AddSparseJson_AddsIntoWhatIsThere_IgnoresUnknownBuckets_ReadsEscapedAndSpacedText()
    {
        var into = new long[82];
        into[3] = 1;

        LatencyBuckets.AddSparseJson(into, """ { "3" : 4, "\u0031\u0030": 2, "-1": 7, "500": 9 } """);

        Assert.Equal(5, into[3]);
        Assert.Equal(2, into[10]);
        Assert.Equal(7, into.Sum()); // 5 + 2 only: the unknown buckets were ignored
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"a\":1}")]
    [InlineData("{\"1\":\"2\"}")]
    [InlineData("{\"1\":1.5}")]
    [InlineData("{\"1\":1}{}")]
    [InlineData("{\"1\":1")]
    public void AddSparseJson_NotAHistogram_Throws(string json) =>
        Assert.ThrowsAny<JsonException>(() => LatencyBuckets.AddSparseJson(new long[82], json));

    [Fact]
    public void ToSparseJson_Empty_IsAnEmptyObject() => Assert.Equal("{}", LatencyBuckets.ToSparseJson(new long[82]));
}
