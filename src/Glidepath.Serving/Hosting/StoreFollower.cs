using Glidepath.Storage;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Hosting;

/// <summary>
/// Follows a host's store through a file deleted or replaced under it. Every loop that reads or writes the store reads
/// the store's identity here first: the routing poll, the rollout controller, the drift check and trace retention, in a
/// gateway, an SDK app or <c>glidepath controller</c> alike. A store file that is gone (deleted, moved away, emptied)
/// fails the read, and the store drops its connections to the unlinked file, so the pass that asked is skipped and
/// nothing is judged or written where nobody will read it. A file replaced by another store is adopted by the store and
/// followed; that is logged once per host, whichever loop saw it first. One per host, shared by its loops.
/// </summary>
internal sealed partial class StoreFollower(ServingOptions settings, ILogger<StoreFollower> logger)
{
    private readonly Lock _gate = new();
    private StoreIdentity? _last;

    /// <summary>
    /// The store's identity as found now; null when the host wired no identity source (stores wired by hand). Throws
    /// when the store cannot be read, or its file is gone: the caller skips its pass and logs it as its outage.
    /// </summary>
    public async Task<StoreIdentity?> ReadAsync(CancellationToken cancellationToken)
    {
        if (settings.Identity is not { } identity)
        {
            return null;
        }

        var now = await identity.ReadIdentityAsync(cancellationToken).ConfigureAwait(false);
        bool replaced;
        lock (_gate)
        {
            // Loops read at once: one that read before the store adopted a new file must not move this back to the old one.
            replaced = _last is { } last && (now.Generation > last.Generation || (now.Generation == last.Generation && now.StoreId != last.StoreId));
            if (_last is null || replaced)
            {
                _last = now;
            }
        }

        if (replaced)
        {
            LogReplaced(logger, settings.Environment);
        }

        return now;
    }

    /// <summary>Whether <paramref name="now"/> is another store than <paramref name="before"/>, or the same one found again in another file.</summary>
    public static bool IsAnother(StoreIdentity before, StoreIdentity now) => now.StoreId != before.StoreId || now.Generation != before.Generation;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store file of {Environment} was replaced by another store; following the new one")]
    private static partial void LogReplaced(ILogger logger, string environment);
}
