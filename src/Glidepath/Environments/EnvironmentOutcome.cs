namespace Glidepath.Environments;

/// <summary>The result of an environment command: the state after it and the event written (null when nothing changed).</summary>
/// <param name="Summary">One line for people, e.g. "production: v2 → v3 (promote)".</param>
/// <param name="Note">A consequence worth a line on stderr, e.g. that the active shadow now compares with the new stable release; null when none.</param>
public sealed record EnvironmentOutcome(EnvironmentState State, EnvironmentEvent? Event, string Summary, string? Note = null)
{
    public bool Changed => Event is not null;
}
