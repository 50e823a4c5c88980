namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// A change the dashboard can make, with confirmation: what it is called, the admin-API operation it stands for (whose
/// role it needs), what the confirmation page says it will do, and the kind of the history event it records.
/// </summary>
public sealed record DashboardAction(string Name, string Title, string Button, string AdminPattern, bool ReasonRequired, bool Dangerous, string Explains, string EventKind)
{
    private const string Env = AdminEndpointRouteBuilderExtensions.Prefix + "/environments/{env}";

    public static readonly IReadOnlyList<DashboardAction> All =
    [
        new("rollback", "Roll back", "Roll back now", Env + "/rollback", false, true,
            "With a canary, removes it: every request goes to the stable release. Without one, moves the stable pointer back to the last known-good release. Every gateway serves the change within a second.", Glidepath.Environments.EnvironmentEventKinds.Rollback),
        new("freeze", "Freeze", "Freeze the environment", Env + "/freeze", true, true,
            "Refuses every promote, rollout start and controller step in this environment until it is unfrozen. Traffic keeps being served; a rollback is still allowed.", Glidepath.Environments.EnvironmentEventKinds.Freeze),
        new("unfreeze", "Unfreeze", "Unfreeze", Env + "/unfreeze", false, false,
            "Allows promotes and rollouts again; an active rollout's controller continues.", Glidepath.Environments.EnvironmentEventKinds.Unfreeze),
        new("pause", "Pause rollout", "Pause the rollout", Env + "/rollout/pause", false, false,
            "The controller stops widening the canary (it still rolls back on harm). The canary keeps its current weight.", Glidepath.Rollouts.RolloutEventKinds.Paused),
        new("resume", "Resume rollout", "Resume the rollout", Env + "/rollout/resume", false, false,
            "The controller judges and widens the canary again from the current step.", Glidepath.Rollouts.RolloutEventKinds.Resumed),
        new("abort", "Abort rollout", "Abort the rollout", Env + "/rollout/abort", false, true,
            "Ends the rollout and removes the canary: every request goes to the stable release.", Glidepath.Rollouts.RolloutEventKinds.Aborted),
    ];

    public static DashboardAction? Find(string name) => All.FirstOrDefault(a => a.Name == name);
}
