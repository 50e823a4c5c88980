namespace Glidepath.Serving.Hosting;

/// <summary>
/// Tells why a background write failed: a store that cannot be reached (an outage) or one that is busy (a failure the
/// store calls transient, <see cref="ServingOptions.Failures"/>: a lock, a timeout, a lost connection) is kept and written
/// again; one that is reachable and refuses the write (a constraint, a read-only store: retrying the same batch would
/// never end) is not. Reachability is probed by reading the store's identity, on a connection of its own: a write that
/// timed out on a hung connection while the store answers the probe is busy, not a refusal (a PostgreSQL command
/// timeout was one until 2026-12, and a healthy gateway dropped its traces behind another gateway's hung session).
/// Without an identity source the store counts as reachable.
/// </summary>
internal static class StoreReachability
{
    public static async Task<StoreFailure> ClassifyAsync(ServingOptions settings, Exception error, CancellationToken cancellationToken)
    {
        // Probed first: a lost connection is transient too, and is an outage, not a busy store.
        if (await UnreachableAsync(settings, cancellationToken).ConfigureAwait(false))
        {
            return StoreFailure.Unreachable;
        }

        return settings.Failures?.IsTransient(error) == true ? StoreFailure.Busy : StoreFailure.Refused;
    }

    private static async Task<bool> UnreachableAsync(ServingOptions settings, CancellationToken cancellationToken)
    {
        if (settings.Identity is not { } identity)
        {
            return false;
        }

        try
        {
            await identity.ReadIdentityAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return true;
        }
    }
}
