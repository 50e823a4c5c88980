using Glidepath.Errors;

namespace Glidepath.Storage;

/// <summary>
/// The refusals every store gives for a write that lost a race or would break an invariant, worded once so that
/// every store (and every test of the store contract) says the same thing. All are <see cref="PolicyException"/>s
/// (exit 4): nothing was written, and re-running the command reads the new state.
/// </summary>
public static class StoreConflicts
{
    /// <summary>An environment compare-and-swap found another revision than the one the change was based on.</summary>
    public static PolicyException EnvironmentChanged(string environment, long expectedRevision, long currentRevision) =>
        new($"environment '{environment}' changed since it was read (revision {expectedRevision}, now {currentRevision}); re-run the command");

    /// <summary>A rollout transition found the rollout at another version than the one it was based on.</summary>
    public static PolicyException RolloutChanged(string rolloutId, long expectedVersion) =>
        new($"rollout {rolloutId} changed since it was read (version {expectedVersion}); re-run the command");

    /// <summary>A rollout would become active in an environment that already has an active one.</summary>
    public static PolicyException ActiveRolloutExists(string environment) =>
        new($"environment '{environment}' already has an active rollout; see: glidepath rollout status --env {environment}");

    /// <summary>
    /// A working token of the app has this name in some case, possibly in another environment: the refusal says only that
    /// the name is taken, not where, nor with which role.
    /// </summary>
    public static PolicyException TokenNameTaken(string name, Exception? inner = null) =>
        new($"the token name '{name}' is not available (names are unique across the app's environments, in any case); choose another name", inner);
}
