namespace Glidepath.Access;

/// <summary>
/// What a principal may do in an environment, each role including the ones before it: read (viewer), move releases
/// forward (deployer), take them back and stop changes (owner), manage credentials (admin).
/// </summary>
public enum Role
{
    /// <summary>Status, history, releases, gate verdicts, rollout status, traces, alerts.</summary>
    Viewer = 1,

    /// <summary>Promote; rollout start, pause, resume and promote.</summary>
    Deployer = 2,

    /// <summary>Rollback, freeze, unfreeze, rollout abort: the environment's <c>owner:</c> decisions.</summary>
    Owner = 3,

    /// <summary>Callers' keys and access tokens.</summary>
    Admin = 4,
}
