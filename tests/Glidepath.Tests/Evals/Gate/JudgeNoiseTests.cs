using Glidepath.Evals.Gate;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Gate;

/// <summary>The warning for a gate that decides cases on one trial a side with an llm_judge (trial gatejudge M5).</summary>
public sealed class JudgeNoiseTests
{
    private static readonly JudgeIdentity Judge = new("openai/judge-1", "00");

    [Fact]
    public void Warning_OneTrialWithAJudge_NamesTheJudgeAndThePlan()
    {
        var warning = JudgeNoise.Warning(1, [Judge], sameContent: false);

        Assert.NotNull(warning);
        Assert.Contains("openai/judge-1", warning, StringComparison.Ordinal);
        Assert.Contains("glidepath gate --plan", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, true, false)]   // more than one trial: Fisher's test, which allows for the judge's noise
    [InlineData(1, false, false)]  // no judge: deterministic scorers
    [InlineData(1, true, true)]    // the release compared with itself runs once: no second draw to differ
    public void Warning_MoreTrialsNoJudgeOrTheSameRelease_None(int trials, bool judge, bool sameContent) =>
        Assert.Null(JudgeNoise.Warning(trials, judge ? [Judge] : [], sameContent));
}
