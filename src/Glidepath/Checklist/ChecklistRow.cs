namespace Glidepath.Checklist;

/// <summary>One measured row of the checklist: what was found in the store, and what to do when it fails.</summary>
/// <param name="Stage">before, rollout or after.</param>
/// <param name="Check">isolated environment, eval gate, versioned, rollback ready, shadow, canary first, monitoring on, drift alerts.</param>
/// <param name="Status">pass, fail, pending (not decided yet; not a pass), or skip (does not apply here, e.g. a first release has no baseline).</param>
/// <param name="Measured">What the store says, in plain words.</param>
/// <param name="Action">What to do about a failure, or what a pending row waits for; null when the row passed or was skipped.</param>
public sealed record ChecklistRow(string Stage, string Check, string Status, string Measured, string? Action)
{
    public bool Failed => Status == ChecklistStatus.Fail;

    /// <summary>Not decided yet (<see cref="ChecklistStatus.Pending"/>): not a pass, so the checklist does not hold.</summary>
    public bool Pending => Status == ChecklistStatus.Pending;

    /// <summary>Whether the row keeps the release from being ready: it failed, or is still pending.</summary>
    public bool HoldsBack => Failed || Pending;
}
