using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// A plan that lists its metrics without retry_rate while the release's provider retries cannot see a provider that
/// fails more often on the canary (trial "tail", defect 1): rollout plan says so on stderr, and stays quiet otherwise.
/// </summary>
public sealed class RolloutPlanRetryWarningCliTests
{
    [Theory]
    [InlineData("openai", false, true)]
    [InlineData("openai", true, false)]
    [InlineData("sim", false, false)]
    public async Task Plan_MetricsListedWithoutRetryRate_WarnsWhenTheProviderRetries(string provider, bool listRetryRate, bool warned)
    {
        await using var app = await EnvApp.CreateAsync(0);
        var yaml = await File.ReadAllTextAsync(app.Manifest);
        yaml = yaml.Replace("provider: sim", "provider: " + provider, StringComparison.Ordinal);
        if (!listRetryRate)
        {
            yaml = System.Text.RegularExpressions.Regex.Replace(yaml, @"\n    retry_rate:[^\n]*", "");
        }

        await File.WriteAllTextAsync(app.Manifest, yaml);

        var (code, stdout, stderr) = await app.RunAsync("rollout", "plan", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Contains("canary requests", stdout, StringComparison.Ordinal);
        Assert.Equal(warned, stderr.Contains("rollout.metrics does not list retry_rate, and providers.openai retries failed calls (max_retries 3 on production)", StringComparison.Ordinal));
    }
}
