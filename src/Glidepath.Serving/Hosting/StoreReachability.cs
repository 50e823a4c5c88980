namespace Glidepath.Serving.Hosting;

/// <summary>
/// Tells a store that cannot be reached (an outage: keep what could not be written and try again) from one that is
/// reachable but refuses a write (a constraint, a read-only store: retrying the same batch would never end), by reading
/// its identity. Without an identity source the store counts as reachable.
/// </summary>
internal static class StoreReachability
{
    public static async Task<bool> UnreachableAsync(ServingOptions settings, CancellationToken cancellationToken)
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
