using Glidepath.Routing;

namespace Glidepath.Tests.Routing;

public sealed class StickySplitTests
{
    private const int Subjects = 100_000;

    [Fact]
    public void IsCanary_HundredThousandSubjectsAtTenPercent_TenPercentWithinHalfAPoint()
    {
        var canary = 0;
        for (var i = 0; i < Subjects; i++)
        {
            if (StickySplit.IsCanary(StickySplit.Bucket($"user-{i}", "seed-a"), 10))
            {
                canary++;
            }
        }

        var share = canary / (double)Subjects;
        Assert.InRange(share, 0.095, 0.105);
    }

    [Fact]
    public void IsCanary_RampFromTenToTwentyFive_KeepsEveryCanarySubject()
    {
        var at10 = 0;
        var at25 = 0;
        for (var i = 0; i < Subjects; i++)
        {
            var bucket = StickySplit.Bucket($"user-{i}", "seed-b");
            var was = StickySplit.IsCanary(bucket, 10);
            var now = StickySplit.IsCanary(bucket, 25);
            Assert.False(was && !now, $"user-{i} left the canary on the ramp");
            at10 += was ? 1 : 0;
            at25 += now ? 1 : 0;
        }

        Assert.InRange(at25 / (double)Subjects, 0.245, 0.255);
        Assert.True(at25 > at10);
    }

    [Fact]
    public void Bucket_SameSubjectAndSeed_SameBucketEveryTime()
    {
        var first = StickySplit.Bucket("alice@example.com", "s1");
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(first, StickySplit.Bucket("alice@example.com", "s1"));
        }
    }

    [Fact]
    public void Bucket_DifferentSeed_ReshufflesSubjects()
    {
        var moved = 0;
        for (var i = 0; i < 1000; i++)
        {
            var a = StickySplit.IsCanary(StickySplit.Bucket($"u{i}", "one"), 50);
            var b = StickySplit.IsCanary(StickySplit.Bucket($"u{i}", "two"), 50);
            moved += a != b ? 1 : 0;
        }

        // Independent seeds disagree for about half the subjects at 50%.
        Assert.InRange(moved, 400, 600);
    }

    [Fact]
    public void Bucket_LongKey_StaysInRange()
    {
        var bucket = StickySplit.Bucket(new string('x', 5000), "seed");
        Assert.InRange(bucket, 0, 99.999999);
    }
}
