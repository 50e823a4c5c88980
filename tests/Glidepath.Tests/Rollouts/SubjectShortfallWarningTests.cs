using System.Text.RegularExpressions;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

public sealed class SubjectShortfallWarningTests
{
    private static ArmSample Stable(int users, int requestsEach)
    {
        var counts = SubjectReachTests.Day(users, requestsEach);
        var groups = counts.Select(c => new ArmSample { Requests = c }).ToArray();
        return new ArmSample { Requests = counts.Sum(), Groups = groups };
    }

    [Fact]
    public void For_300UsersAndA10PercentFirstStep_NamesTheStepTheFigureAndWhatToDo()
    {
        var plan = new RolloutPlan { Steps = [10, 50, 100], OnInconclusive = "hold" };

        var warning = SubjectShortfallWarning.For(plan, Stable(300, 13), "production");

        Assert.NotNull(warning);
        Assert.Matches(@"^warning: effective subjects per step, from the stable release's last 24 h on production \(its 64 subject groups count \d+(\.\d)? effective subjects over the whole day, after the judge's cap of heavy groups; an arm counts fewer, from its share of the subjects\): ", warning);
        Assert.True(Regex.IsMatch(warning, @"step 10% gives the canary about (1\d|2[0-3])\.\d effective subjects \(fewer than 20 in \d+% of 200 seeded splits of which subjects land on it\)\. Short of"), warning);
        Assert.DoesNotContain("50% gives", warning, StringComparison.Ordinal);
        Assert.Contains("Short of rollout.step.min_subjects 20 a step judges no metric: if these are all the users there are (a release that has served for less than a day may not have seen them all yet), it ends inconclusive", warning, StringComparison.Ordinal);
        Assert.Contains("on_inconclusive: hold keeps it there until someone acts", warning, StringComparison.Ordinal);
        Assert.Matches(@"Start at a larger step \(the smallest that reaches it: (15|20|25|30)%, e\.g\. --steps (15|20|25|30),50\) or lower rollout\.step\.min_subjects in the manifest", warning);
    }

    // An outside trial: "about 7 equally active subjects" (N²/R, before the cap) beside "16.4 effective" at 50% (after it).
    // Now the day's figure is the count an arm with every subject would have, after the same cap: no step exceeds it.
    [Fact]
    public void For_ZipfUsers_TheDayFigureIsOnTheStepsFooting_AndHalfIsNotWarnedAbout()
    {
        var counts = new long[SubjectGroups.Count];
        var zipf = Enumerable.Range(1, 200).Select(i => Math.Max(1L, (long)Math.Round(20000 * Math.Pow(i, -1.3)))).ToArray();
        for (var u = 0; u < zipf.Length; u++)
        {
            counts[SubjectReachTests.Group(u, 0)] += zipf[u];
        }

        var stable = new ArmSample { Requests = counts.Sum(), Groups = counts.Select(c => new ArmSample { Requests = c }).ToArray() };
        var plan = new RolloutPlan { Steps = [5, 50, 100], OnInconclusive = "hold" };

        var warning = SubjectShortfallWarning.For(plan, stable, "production");

        Assert.NotNull(warning);
        var figures = Regex.Match(warning, @"its 64 subject groups count (\d+(\.\d)?) effective subjects over the whole day, after the judge's cap of heavy groups; an arm counts fewer, from its share of the subjects\): step 5% gives the canary about (\d+(\.\d)?) effective subjects");
        Assert.True(figures.Success, warning);
        Assert.True(double.Parse(figures.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > double.Parse(figures.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture), warning);
        Assert.DoesNotContain("equally active", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("50% gives", warning, StringComparison.Ordinal);
        Assert.True(SubjectShortfallWarning.Estimates(plan, stable).Single(e => e.Weight == 50).Estimate.Expected >= 20);
    }

    [Fact]
    public void For_FewUsersEvenAtHalf_SaysToLowerMinSubjects()
    {
        var plan = new RolloutPlan { Steps = [25, 50, 100], OnInconclusive = "rollback" };

        var warning = SubjectShortfallWarning.For(plan, Stable(30, 20), "production");

        Assert.NotNull(warning);
        Assert.Contains("steps 25% gives the canary about", warning, StringComparison.Ordinal);
        Assert.Contains("on_inconclusive: rollback rolls back even a release as good as stable", warning, StringComparison.Ordinal);
        Assert.Contains("Even a 50% step gives about", warning, StringComparison.Ordinal);
        Assert.Contains(": lower rollout.step.min_subjects in the manifest", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void For_PlentyOfSubjectsOrAFirstStepLargeEnough_NoWarning()
    {
        Assert.Null(SubjectShortfallWarning.For(new RolloutPlan { Steps = [10, 50, 100] }, Stable(5000, 4), "production"));
        Assert.Null(SubjectShortfallWarning.For(new RolloutPlan { Steps = [50, 100] }, Stable(300, 13), "production"));
        Assert.Null(SubjectShortfallWarning.For(new RolloutPlan { Steps = [10, 50, 100], MinSubjects = 10 }, Stable(300, 13), "production"));
    }

    [Fact]
    public void For_NoStableTraffic_SaysNothing()
    {
        var plan = new RolloutPlan { Steps = [1, 100] };

        Assert.Null(SubjectShortfallWarning.For(plan, default, "production"));
        Assert.Null(SubjectShortfallWarning.For(plan, new ArmSample { Requests = 5000 }, "production")); // no groups kept
        Assert.Null(SubjectShortfallWarning.For(plan, Stable(5, 10), "production")); // 50 requests
        Assert.Empty(SubjectShortfallWarning.Estimates(plan, default));
    }

    [Fact]
    public void Estimates_OnePerStepBelow100()
    {
        var estimates = SubjectShortfallWarning.Estimates(new RolloutPlan { Steps = [10, 50, 100] }, Stable(300, 13));

        Assert.Equal([10.0, 50.0], estimates.Select(e => e.Weight));
        Assert.True(estimates[1].Estimate.Expected > estimates[0].Estimate.Expected);
        Assert.Equal(SubjectGroups.Count, Stable(300, 13).Groups!.Length);
    }
}
