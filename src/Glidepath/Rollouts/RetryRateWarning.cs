using System.Globalization;
using Glidepath.Manifests;
using Glidepath.Models;

namespace Glidepath.Rollouts;

/// <summary>
/// A plan that cannot see a failing provider: <c>rollout.metrics</c> lists its metrics without <c>retry_rate</c> while
/// the release's provider retries failed calls. A retried 429, 5xx or timeout that then succeeds is a 200 to the caller,
/// so error_rate never counts it (docs/security.md, "How errors are counted"), and a canary whose provider fails ten times
/// as often is promoted (trial "tail", defect 1). Printed by <c>rollout start</c> and <c>rollout plan</c>; not a refusal:
/// a plan may leave retries out on purpose.
/// </summary>
public static class RetryRateWarning
{
    /// <summary>
    /// The warning for <paramref name="plan"/> when <paramref name="provider"/>'s effective settings in
    /// <paramref name="environment"/> retry and the plan names metrics without retry_rate; null otherwise (a plan that
    /// names none is judged on the defaults, retry_rate among them).
    /// </summary>
    public static string? For(Manifest manifest, RolloutPlan plan, string provider, string environment)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Metrics.Count == 0 || plan.Metrics.ContainsKey("retry_rate"))
        {
            return null;
        }

        var retries = ProviderSettingsResolver.Resolve(manifest, provider, environment).MaxRetries
            ?? (provider == ProviderNames.Sim ? 0 : ProviderSettings.DefaultMaxRetries);
        return retries <= 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"warning: rollout.metrics does not list retry_rate, and providers.{provider} retries failed calls (max_retries {retries} on {environment}): ")
                + "a canary whose provider fails or rate-limits more often than stable's shows it only as retried calls, which error_rate does not count "
                + "(it counts what the caller finally got). Add retry_rate: { max_increase: 0.01 } to rollout.metrics (docs/rollouts.md)";
    }
}
