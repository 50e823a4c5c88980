namespace Glidepath.Rollouts;

/// <summary>Who judges an environment's rollouts: the controller holding the lease, renewed at every tick until <paramref name="ExpiresAt"/>.</summary>
public sealed record ControllerLease(string Holder, DateTimeOffset ExpiresAt)
{
    /// <summary>True while the holder keeps renewing it; an expired lease means no controller is judging.</summary>
    public bool IsHeldAt(DateTimeOffset now) => ExpiresAt > now;
}
