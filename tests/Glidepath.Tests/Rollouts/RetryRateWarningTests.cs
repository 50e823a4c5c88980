using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

public sealed class RetryRateWarningTests
{
    private static readonly RolloutPlan Listed = new()
    {
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 }, ["latency"] = new() { MaxRatio = 1.25 } },
    };

    private static Manifest App(int? maxRetries = null, int? productionRetries = null) => new()
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "openai", Name = "gpt-4o-mini" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
        Providers = new Dictionary<string, ProviderSettings> { ["openai"] = new() { MaxRetries = maxRetries } },
        Environments = [new EnvironmentSpec { Name = "production", Providers = productionRetries is { } p ? new Dictionary<string, ProviderSettings> { ["openai"] = new() { MaxRetries = p } } : new Dictionary<string, ProviderSettings>() }],
    };

    [Fact]
    public void For_MetricsListedWithoutRetryRateAndTheProviderRetriesByDefault_Warns()
    {
        var warning = RetryRateWarning.For(App(), Listed, "openai", "production");

        Assert.NotNull(warning);
        Assert.Contains("does not list retry_rate", warning, StringComparison.Ordinal);
        Assert.Contains("max_retries 3 on production", warning, StringComparison.Ordinal);
        Assert.Contains("retry_rate: { max_increase: 0.01 }", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void For_TheEnvironmentTurnsRetriesOff_NoWarning()
    {
        Assert.Null(RetryRateWarning.For(App(maxRetries: 2, productionRetries: 0), Listed, "openai", "production"));
        Assert.NotNull(RetryRateWarning.For(App(maxRetries: 0, productionRetries: 2), Listed, "openai", "production"));
    }

    [Fact]
    public void For_RetryRateListedOrDefaultPlanOrSimWithoutRetries_NoWarning()
    {
        var withRetries = Listed with { Metrics = new Dictionary<string, MetricTolerance>(Listed.Metrics) { ["retry_rate"] = new() { MaxIncrease = 0.01 } } };

        Assert.Null(RetryRateWarning.For(App(), withRetries, "openai", "production"));
        Assert.Null(RetryRateWarning.For(App(), new RolloutPlan(), "openai", "production"));
        Assert.Null(RetryRateWarning.For(App(), Listed, "sim", "production"));
    }
}
