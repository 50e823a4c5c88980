using Glidepath.Evals.Gate;
using Glidepath.Manifests;

namespace Glidepath.Tests.Evals.Gate;

public sealed class VerdictRuleTests
{
    private static readonly EvalConfig Config = new()
    {
        Dataset = "evals/cases.jsonl",
        Trials = 10,
        Gate = new GateConfig { MaxCaseRegressions = 0, MaxMeanDrop = 0.0, Confidence = 0.95 },
    };

    [Fact]
    public void Of_EvalConfig_TakesEveryValueThatDecidesTheVerdict()
    {
        var rule = VerdictRule.Of(Config);

        Assert.Equal(new VerdictRule(0, 0, 0.95, 10, new GateRule().Seed, new GateRule().Resamples), rule);
        Assert.Equal("""{"confidence":0.95,"max_case_regressions":0,"max_mean_drop":0,"resamples":2000,"seed":20240611,"trials":10}""", rule.Json);
        Assert.Matches("^[0-9a-f]{64}$", rule.Sha256);
    }

    [Fact]
    public void Sha256_NegativeZeroDrop_SameAsZero()
    {
        var zero = VerdictRule.Of(Config);
        var negativeZero = VerdictRule.Of(Config with { Gate = Config.Gate with { MaxMeanDrop = -0.0 } });

        Assert.Equal(zero.Sha256, negativeZero.Sha256);
    }

    [Theory]
    [InlineData("max_case_regressions")]
    [InlineData("max_mean_drop")]
    [InlineData("confidence")]
    [InlineData("trials")]
    public void Sha256_AnyValueChanged_Differs(string field)
    {
        var gate = Config.Gate;
        var changed = field switch
        {
            "max_case_regressions" => Config with { Gate = gate with { MaxCaseRegressions = 1 } },
            "max_mean_drop" => Config with { Gate = gate with { MaxMeanDrop = 0.01 } },
            "confidence" => Config with { Gate = gate with { Confidence = 0.9 } },
            _ => Config with { Trials = 3 },
        };

        Assert.NotEqual(VerdictRule.Of(Config).Sha256, VerdictRule.Of(changed).Sha256);
    }

    [Fact]
    public void Parse_ItsOwnJson_RoundTrips()
    {
        var rule = VerdictRule.Of(Config with { Gate = Config.Gate with { MaxMeanDrop = 0.125, Confidence = 0.99 } });

        Assert.Equal(rule, VerdictRule.Parse(rule.Json));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("""{"max_case_regressions":0}""")]
    [InlineData("""{"confidence":"0.95","max_case_regressions":0,"max_mean_drop":0,"resamples":2000,"seed":1,"trials":1}""")]
    [InlineData("""{"confidence":0.95,"max_case_regressions":1e99,"max_mean_drop":0,"resamples":2000,"seed":1,"trials":1}""")]
    public void Parse_MissingOrUnreadable_Null(string? json)
    {
        Assert.Null(VerdictRule.Parse(json));
    }

    [Fact]
    public void AgainstTodayAndChangedTo_NameEachDifferenceByItsManifestName()
    {
        var committed = VerdictRule.Of(Config);
        var loosened = committed with { MaxCaseRegressions = 100, MaxMeanDrop = 1 };

        Assert.Equal("max_case_regressions 100, now 0; max_mean_drop 1, now 0", loosened.AgainstToday(committed));
        Assert.Equal("max_case_regressions 0 → 100, max_mean_drop 0 → 1", committed.ChangedTo(loosened));
        Assert.Equal("", committed.ChangedTo(committed with { }));
    }
}
