namespace Glidepath.Errors;

/// <summary>What kind of failure a <see cref="GlidepathException"/> is; each host maps it (the CLI to an exit code, an API to a status).</summary>
public enum FailureKind
{
    /// <summary>Bad usage or bad input: a manifest, dataset, reference or argument is wrong.</summary>
    BadInput,

    /// <summary>Something outside the input failed: the store, a provider, the disk, the network.</summary>
    Operational,

    /// <summary>A policy refused the action: frozen environment, missing verdict, stale revision.</summary>
    Refused,
}
