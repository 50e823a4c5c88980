namespace Glidepath.Rollouts;

/// <summary>What kind of store trouble holds the controller's advancing (<see cref="SettleWindow"/>).</summary>
internal enum StoreTroubleKind
{
    /// <summary>A pass of this controller failed: a lease renewal, a read or a write of the store.</summary>
    PassFailed,

    /// <summary>This host's own trace writer keeps traces it could not write to the store.</summary>
    UnwrittenTraces,

    /// <summary>This controller took over a lease that expired without being given up: its holder died or lost the store.</summary>
    LeaseTakenOver,
}
