using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Rollout;

public sealed class RolloutSectionTests
{
    [Fact]
    public void Parse_EmptySection_IsTheDefaultPlan()
    {
        var (plan, errors) = Read("{}", RolloutSection.Parse);

        Assert.Empty(errors);
        var defaults = new RolloutPlan();
        Assert.Equal(defaults.Steps, plan!.Steps);
        Assert.Equal(defaults.MinRequests, plan.MinRequests);
        Assert.Equal(defaults.MinSubjects, plan.MinSubjects);
        Assert.Equal(defaults.MaxDuration, plan.MaxDuration);
        Assert.Equal(defaults.Confidence, plan.Confidence);
        Assert.Equal("hold", plan.OnInconclusive);
        Assert.Null(plan.MaxHold);
        Assert.Empty(plan.Metrics);
    }

    [Fact]
    public void Parse_EverySetting_Read()
    {
        var (plan, errors) = Read("""
            steps: [10, 50, 100]
            step: { min_requests: 50, min_subjects: 8, max_duration: 2h }
            metrics: { error_rate: { max_increase: 0.02 }, retry_rate: { max_increase: 0.03 }, latency: { max_ratio: 1.5 }, feedback: { max_drop: 0.1 } }
            confidence: 0.99
            on_inconclusive: rollback
            max_hold: 45m
            """, RolloutSection.Parse);

        Assert.Empty(errors);
        Assert.Equal([10.0, 50, 100], plan!.Steps);
        Assert.Equal(50, plan.MinRequests);
        Assert.Equal(8, plan.MinSubjects);
        Assert.Equal(TimeSpan.FromHours(2), plan.MaxDuration);
        Assert.Equal(0.02, plan.Metrics["error_rate"].MaxIncrease);
        Assert.Equal(0.03, plan.Metrics["retry_rate"].MaxIncrease);
        Assert.Equal(1.5, plan.Metrics["latency"].MaxRatio);
        Assert.Equal(0.1, plan.Metrics["feedback"].MaxDrop);
        Assert.Equal(0.99, plan.Confidence);
        Assert.Equal("rollback", plan.OnInconclusive);
        Assert.Equal(TimeSpan.FromMinutes(45), plan.MaxHold);
    }

    [Fact]
    public void Parse_ToleranceOfTheWrongKind_NamesTheKindThatFits()
    {
        var (_, errors) = Read("metrics:\n  error_rate: { max_ratio: 1.1 }\n", RolloutSection.Parse);

        Assert.Equal("glidepath.yaml:2:17: unknown key 'max_ratio' in rollout.metrics.error_rate; expected one of: max_increase", Assert.Single(errors).ToString());
    }

    // Newcomer trial L2: a misspelt metric was reported, then its correct 'max_increase' was reported unknown as well
    // (checked against the tolerance of 'online_score', the fallback of the switch).
    [Theory]
    [InlineData("eror_rate: { max_increase: 0.01 }", "glidepath.yaml:2:3: unknown key 'eror_rate' in rollout.metrics; expected one of: error_rate, retry_rate, cancel_rate, latency, first_token_latency, latency_p95, latency_p99, cost_per_call, online_score, online_pass_rate, feedback; did you mean 'error_rate'?")]
    [InlineData("latncy: { max_ratio: 9999 }", "glidepath.yaml:2:3: unknown key 'latncy' in rollout.metrics; expected one of: error_rate, retry_rate, cancel_rate, latency, first_token_latency, latency_p95, latency_p99, cost_per_call, online_score, online_pass_rate, feedback; did you mean 'latency'?")]
    [InlineData("latncy: 1.25", "glidepath.yaml:2:3: unknown key 'latncy' in rollout.metrics; expected one of: error_rate, retry_rate, cancel_rate, latency, first_token_latency, latency_p95, latency_p99, cost_per_call, online_score, online_pass_rate, feedback; did you mean 'latency'?")]
    public void Parse_UnknownMetric_OneErrorWithTheSuggestionAndNoCascade(string entry, string error)
    {
        var (plan, errors) = Read($"metrics:\n  {entry}\n", RolloutSection.Parse);

        Assert.Equal(error, Assert.Single(errors).ToString());
        Assert.Empty(plan!.Metrics);
    }

    [Fact]
    public void ToleranceKeys_EveryKnownMetric_HasItsKey()
    {
        Assert.All(RolloutPlan.KnownMetrics, m => Assert.Single(RolloutSection.ToleranceKeys(m)!));
    }

    // Newcomer trial L6: 'latency: { max_drop: 1.5 }' was reported unknown and then range-checked as well.
    [Fact]
    public void Parse_KeyOfAnotherMetricOutOfRange_OnlyTheUnknownKeyIsReported()
    {
        var (_, errors) = Read("metrics:\n  latency: { max_drop: 1.5 }\n", RolloutSection.Parse);

        Assert.Equal("glidepath.yaml:2:14: unknown key 'max_drop' in rollout.metrics.latency; expected one of: max_ratio", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_ToleranceOutOfRange_NamesTheMetric()
    {
        var (_, errors) = Read("metrics:\n  error_rate: { max_increase: 1.5 }\n", RolloutSection.Parse);

        Assert.Equal("glidepath.yaml:2:31: rollout.metrics.error_rate.max_increase is 1.5; expected a number from 0 to 1", Assert.Single(errors).ToString());
    }

    // Newcomer trial L5: quoted numbers were accepted here and refused in scorer options.
    [Theory]
    [InlineData("confidence: \"0.9\"\n", "glidepath.yaml:1:13: rollout.confidence is '0.9' (quoted); expected a number")]
    [InlineData("step: { min_requests: '50' }\n", "glidepath.yaml:1:23: min_requests is '50' (quoted); expected an integer")]
    [InlineData("steps: [5, \"50\", 100]\n", "glidepath.yaml:1:12: a rollout step is '50' (quoted); expected a number")]
    public void Parse_QuotedNumber_RefusedAtItsLine(string yaml, string error)
    {
        var (_, errors) = Read(yaml, RolloutSection.Parse);

        Assert.StartsWith(error, Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("0m")]
    public void Parse_MaxDurationZero_ReportedAtItsValue(string zero)
    {
        var (_, errors) = Read($"step: {{ min_requests: 200, max_duration: {zero} }}\n", RolloutSection.Parse);

        Assert.Equal($"glidepath.yaml:1:42: max_duration '{zero}' is zero; expected a duration above zero, e.g. 30m", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_StepNotAboveThePrevious_Reported()
    {
        var (_, errors) = Read("steps: [5, 5, 100]\n", RolloutSection.Parse);

        Assert.Equal("glidepath.yaml:1:12: rollout step 5 is not above the previous step 5; expected increasing percentages ending at 100", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_MinSubjectsAboveHalfTheSubjectGroups_Rejected()
    {
        var (_, errors) = Read("step: { min_subjects: 1000 }\n", RolloutSection.Parse);

        Assert.StartsWith("glidepath.yaml:1:23: min_subjects is 1000; expected an integer from 2 to ", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon", "max_hold 'soon' is not a duration; expected a number with a unit up to 3650 days, e.g. 500ms, 30s, 30m, 1h")]
    [InlineData("0s", "max_hold '0s' is zero; expected a duration above zero, e.g. 30m")]
    [InlineData("-5m", "max_hold '-5m' is not a duration; expected a number with a unit up to 3650 days, e.g. 500ms, 30s, 30m, 1h")]
    public void Parse_MaxHoldNotADurationAboveZero_ReportedAtItsValue(string value, string message)
    {
        var (plan, errors) = Read($"on_inconclusive: hold\nmax_hold: {value}\n", RolloutSection.Parse);

        Assert.Equal($"glidepath.yaml:2:11: {message}", Assert.Single(errors).ToString());
        Assert.Null(plan!.MaxHold);
    }
}
