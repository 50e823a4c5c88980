using System.Security.Cryptography;
using System.Text;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Trial newcomer3 M1: 300 users hash into 64 subject groups, and a 10% canary of them levelled off at 16.5–19.2
/// effective subjects, below min_subjects 20, for ever. The estimate sees that from the stable release's group counts alone.
/// </summary>
public sealed class SubjectReachTests
{
    [Fact]
    public void Estimate_300UsersAt10Percent_AboutNineteenEffectiveSubjects_OftenBelow20()
    {
        var groups = Day(users: 300, requestsEach: 13);

        var estimate = SubjectReach.Estimate(groups, 0.10, 20)!;

        Assert.InRange(estimate.DaySubjects, 240, 360);
        Assert.InRange(estimate.Expected, 17, 22);
        Assert.True(estimate.ShareBelow >= SubjectShortfallWarning.ShortShare, $"{estimate.ShareBelow}");
    }

    [Fact]
    public void Estimate_SameCounts_SameFigures()
    {
        var groups = Day(users: 300, requestsEach: 13);

        Assert.Equal(SubjectReach.Estimate(groups, 0.10, 20), SubjectReach.Estimate(groups, 0.10, 20));
    }

    [Theory]
    [InlineData(300, 0.50)]
    [InlineData(5000, 0.10)]
    [InlineData(20000, 0.01)]
    public void Estimate_EnoughSubjectsAtTheShare_WellAboveMinSubjects_NeverShort(int users, double share)
    {
        var estimate = SubjectReach.Estimate(Day(users, requestsEach: 5), share, 20)!;

        Assert.True(estimate.Expected > 30, $"{estimate.Expected}");
        Assert.Equal(0, estimate.ShareBelow);
    }

    // The method's check: over ten layouts of real subjects into groups (their own hash), the estimate from group counts
    // alone agrees on average within a tenth with the mean Kish count of the canary over 100 seeded splits of the
    // subjects themselves (as the gateway splits them), and each layout within a third: the group counts tell the
    // number of subjects to about a fifth either way (docs/rollouts.md).
    [Theory]
    [InlineData(150, 0.10)]
    [InlineData(300, 0.10)]
    [InlineData(300, 0.25)]
    [InlineData(1000, 0.05)]
    public void Estimate_MatchesTheCanaryOfSplittingTheSubjectsThemselves(int users, double share)
    {
        var ratios = new List<double>();
        for (var layout = 0; layout < 10; layout++)
        {
            var estimate = SubjectReach.Estimate(Day(users, requestsEach: 10, layout), share, 20)!;
            double sum = 0;
            const int Splits = 100;
            for (var seed = 0; seed < Splits; seed++)
            {
                var canary = new long[SubjectGroups.Count];
                for (var u = 0; u < users; u++)
                {
                    if (Glidepath.Routing.StickySplit.Bucket($"user-{layout}-{u}", $"seed-{seed}") < share * 100)
                    {
                        canary[Group(u, layout)] += 10;
                    }
                }

                sum += Kish(canary);
            }

            ratios.Add(estimate.Expected / (sum / Splits));
        }

        Assert.InRange(ratios.Average(), 0.9, 1.1);
        Assert.All(ratios, r => Assert.InRange(r, 0.67, 1.33));
    }

    // An outside trial (200 sticky users, Zipf activity, 64 groups): the 50% step was estimated at 16.4 effective subjects
    // and warned about, and measured 27–31. The heaviest users no longer make every light group one subject: the estimate
    // agrees within a fifth with the mean capped Kish count of the canary over 100 splits of the users themselves.
    [Theory]
    [InlineData(1.0)]
    [InlineData(1.3)]
    [InlineData(1.5)]
    public void Estimate_200ZipfUsersAtHalf_MatchesTheirOwnSplits_NotShort(double zipf)
    {
        for (var layout = 0; layout < 5; layout++)
        {
            var requests = Enumerable.Range(1, 200).Select(i => Math.Max(1L, (long)Math.Round(20000 * Math.Pow(i, -zipf)))).ToArray();
            var groups = new long[SubjectGroups.Count];
            for (var u = 0; u < requests.Length; u++)
            {
                groups[Group(u, layout)] += requests[u];
            }

            var estimate = SubjectReach.Estimate(groups, 0.5, 20)!;
            double sum = 0;
            const int Splits = 100;
            for (var seed = 0; seed < Splits; seed++)
            {
                var canary = new long[SubjectGroups.Count];
                for (var u = 0; u < requests.Length; u++)
                {
                    if (Glidepath.Routing.StickySplit.Bucket($"user-{layout}-{u}", $"seed-{seed}") < 50)
                    {
                        canary[Group(u, layout)] += requests[u];
                    }
                }

                sum += CappedKish(canary);
            }

            Assert.InRange(estimate.Expected / (sum / Splits), 0.8, 1.2);
            Assert.True(estimate.ShareBelow < SubjectShortfallWarning.ShortShare, $"{estimate}");
            Assert.True(estimate.DayEffective > estimate.Expected, $"{estimate}");
        }
    }

    [Fact]
    public void Estimate_FewerThan100Requests_Null()
    {
        Assert.Null(SubjectReach.Estimate(Day(users: 9, requestsEach: 11), 0.10, 20));
        Assert.Null(SubjectReach.Estimate(new long[SubjectGroups.Count], 0.10, 20));
    }

    [Fact]
    public void Estimate_EveryRequestItsOwnSubject_CountsAsManySubjects()
    {
        // Equal group counts carry no sign of subjects sharing a group: as many subjects as requests (no sticky key).
        var groups = Enumerable.Repeat(50L, SubjectGroups.Count).ToArray();

        var estimate = SubjectReach.Estimate(groups, 0.10, 20)!;

        Assert.Equal(3200, estimate.DaySubjects, 6);
        Assert.True(estimate.Expected > 50, $"{estimate.Expected}");
    }

    /// <summary>The stable's day: <paramref name="users"/> subjects of <paramref name="requestsEach"/> requests, in their own groups.</summary>
    internal static long[] Day(int users, int requestsEach, int layout = 0)
    {
        var groups = new long[SubjectGroups.Count];
        for (var u = 0; u < users; u++)
        {
            groups[Group(u, layout)] += requestsEach;
        }

        return groups;
    }

    internal static int Group(int user, int layout) =>
        SubjectGroups.Of(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"user-{layout}-{user}"))), "t");

    private static double CappedKish(long[] groups)
    {
        var arm = groups.Select(g => new ArmSample { Requests = g }).ToArray();
        return new ArmSample { Requests = groups.Sum(), Groups = arm }.CapSubjects().EffectiveSubjects;
    }

    private static double Kish(long[] groups)
    {
        double n = groups.Sum(), q = groups.Sum(g => (double)g * g);
        return q > 0 ? n * n / q : 0;
    }
}
