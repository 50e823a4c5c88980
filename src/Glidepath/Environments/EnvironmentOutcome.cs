namespace Glidepath.Environments;

/// <summary>The result of an environment command: the state after it and the event written (null when nothing changed).</summary>
/// <param name="Summary">One line for people, e.g. "production: v2 → v3 (promote)".</param>
public sealed record EnvironmentOutcome(EnvironmentState State, EnvironmentEvent? Event, string Summary)
{
    public bool Changed => Event is not null;
}
