using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// The warning that no controller judges an environment's rollout: no controller has taken the environment's lease, or
/// its holder stopped renewing it. <c>rollout status</c> says it of an active rollout, <c>rollout start</c> of the one it
/// just started.
/// </summary>
public static class UnjudgedWarning
{
    /// <summary>The processes whose rollout controller judges the environment's rollouts.</summary>
    public static string Judges(string environment) =>
        $"'glidepath serve --env {environment}' or 'glidepath controller --env {environment}'";

    /// <summary>
    /// <c>rollout status</c>'s warning for an active rollout nobody judges: the lease of <paramref name="holder"/> expired
    /// <paramref name="expiredFor"/> ago at <paramref name="expiredAt"/>, or (no holder) no controller ever took it.
    /// </summary>
    public static string Status(string environment, string? holder, DateTimeOffset? expiredAt, TimeSpan expiredFor) =>
        holder is not null && expiredAt is { } at
            ? $"warning: the lease of {holder} expired {RolloutView.Duration(expiredFor)} ago (at {Clock(at)} UTC), so nobody is judging this rollout; " +
              $"the next controller to tick takes over (a running {Judges(environment)}). Until one does, it neither advances nor rolls back"
            : $"warning: nobody is judging this rollout (no controller has taken the lease): it neither advances nor rolls back until {Judges(environment)} runs";

    /// <summary>
    /// <c>rollout start</c>'s warning, or null while a controller holds the environment's lease at <paramref name="now"/>.
    /// A running controller holds its environment's lease on every pass, a rollout active there or not, so no lease held
    /// at the start means none runs (or its holder stopped renewing it): nobody judges the rollout, and it is a warning.
    /// </summary>
    public static string? AtStart(string environment, ControllerLease? lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (lease is not null && lease.IsHeldAt(now))
        {
            return null;
        }

        var last = lease is null ? "" : $" (the last, {lease.Holder}'s, expired {RolloutView.Duration(now - lease.ExpiresAt)} ago at {Clock(lease.ExpiresAt)} UTC)";
        return $"warning: no controller holds the lease of {environment}{last}, so nobody is judging this rollout: it neither advances nor " +
               $"rolls back until {Judges(environment)} runs (a running one holds the lease whether or not a rollout is active, and " +
               $"one started just now takes it at its first pass). 'glidepath rollout status --env {environment}' says who judges it";
    }

    private static string Clock(DateTimeOffset t) => t.ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
