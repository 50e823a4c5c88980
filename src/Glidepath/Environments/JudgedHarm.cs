using System.Globalization;

namespace Glidepath.Environments;

/// <summary>
/// A verdict of harm the judge recorded for a release in an environment: a rollout of it that the controller rolled back
/// for harm, or a shadow of it stopped with the paired judge's decision harm (<see cref="JudgedHarms"/> finds them); or
/// the decision harm the paired judge gives now on the pairs of a shadow of it still active (<see cref="Active"/>).
/// </summary>
/// <param name="Kind"><see cref="Rollout"/> or <see cref="Shadow"/>.</param>
/// <param name="Id">The rollout (<c>ro-…</c>) or shadow (<c>sh-…</c>) id.</param>
/// <param name="AgainstReleaseId">The stable release the release was compared with; null when the event does not name one.</param>
/// <param name="Time">When the judge's verdict was recorded: the rollback, or the shadow's stop.</param>
/// <param name="Evidence">The judge's reason with the metric evidence, in one line, as recorded.</param>
public sealed record JudgedHarm(string Kind, string Id, string? AgainstReleaseId, DateTimeOffset Time, string Evidence)
{
    public const string Rollout = "rollout";
    public const string Shadow = "shadow";

    /// <summary>
    /// A shadow still active: the verdict is the paired judge's decision on its pairs at <see cref="Time"/>, as
    /// <c>shadow status</c> shows it, not one a <c>shadow_stop</c> recorded.
    /// </summary>
    public bool Active { get; init; }

    /// <summary>
    /// "rollout ro-… was rolled back for harm at 2026-12-06 17:56 UTC against v2 (harm: error_rate …)"; an active shadow's
    /// "shadow sh-…, still active, has the judge's decision harm at … against v2 (…)".
    /// </summary>
    public string Describe(Func<string, string> releaseName)
    {
        ArgumentNullException.ThrowIfNull(releaseName);
        var what = Kind == Rollout ? $"rollout {Id} was rolled back for harm"
            : Active ? $"shadow {Id}, still active, has the judge's decision harm"
            : $"shadow {Id} was stopped with the judge's decision harm";
        var against = AgainstReleaseId is { } stable ? $" against {releaseName(stable)}" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{what} at {Time.ToUniversalTime():yyyy-MM-dd HH:mm} UTC{against} ({Evidence})");
    }
}
