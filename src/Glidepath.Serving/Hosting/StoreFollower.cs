using Glidepath.Storage;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Hosting;

/// <summary>
/// Follows a host's store through a file deleted or replaced under it. Every loop that reads or writes the store reads
/// the store's identity here first: the routing poll, the caller-key poll, the rollout controller, the drift check and
/// trace retention, in a gateway, an SDK app or <c>glidepath controller</c> alike. A store file that is gone (deleted,
/// moved away, emptied) fails the read, and the store drops its connections to the unlinked file, so the pass that
/// asked is skipped and nothing is judged or written where nobody will read it. The same store found in another file (a
/// backup put back) is followed at once. Another store (another store id) is followed only once it has a stable release
/// for the environment: a write command run after the file was deleted makes a new, empty store there, and following it
/// turned every request into a 503 "no stable release"; until then the read fails as for a file that is gone. Each
/// change is logged once per host, whichever loop saw it first. One per host, shared by its loops. The identity is read
/// with the store's schema version: a store a newer glidepath migrated under this process is logged as an error once
/// (per version) and reported in <paramref name="status"/> (a gateway's <c>/readyz</c>); this process goes on serving (if it serves),
/// since migrations only add, but it may drop what the new schema records. What the line advises is the host's
/// (<see cref="ServingOptions.Host"/>): a gateway's controller holds and it is upgraded; an SDK app upgrades its packages.
/// </summary>
internal sealed partial class StoreFollower(ServingOptions settings, ILogger<StoreFollower> logger, Routing.ControlPlaneStatus? status = null)
{
    private readonly Lock _gate = new();
    private StoreIdentity? _last;

    /// <summary>The newer schema version last logged (0: none): logged once per version.</summary>
    private int _newerLogged;

    /// <summary>The store not followed that was last warned about: the warning is logged once per such store.</summary>
    private StoreIdentity? _held;

    /// <summary>
    /// The store's identity as found now; null when the host wired no identity source (stores wired by hand). Throws
    /// when the store cannot be read, its file is gone, or it was replaced by another store that is not followed yet
    /// (<see cref="StoreNotFollowedException"/>): the caller skips its pass and logs it as its outage.
    /// </summary>
    public async Task<StoreIdentity?> ReadAsync(CancellationToken cancellationToken)
    {
        if (settings.Identity is not { } identity)
        {
            return null;
        }

        var now = await identity.ReadIdentityAsync(cancellationToken).ConfigureAwait(false);
        NoteSchema(now);
        StoreIdentity? before;
        lock (_gate)
        {
            before = _last;
        }

        if (before is not null && IsNewer(before, now) && now.StoreId != before.StoreId
            && (await settings.Environments.GetAsync(settings.Manifest.App, settings.Environment, cancellationToken).ConfigureAwait(false)).StableReleaseId is null)
        {
            bool warn;
            lock (_gate)
            {
                warn = _held is not { } held || held.StoreId != now.StoreId || held.Generation != now.Generation;
                _held = now;
            }

            if (warn)
            {
                LogNotFollowed(logger, settings.Environment);
            }

            throw new StoreNotFollowedException(settings.Environment);
        }

        bool replaced;
        lock (_gate)
        {
            // Loops read at once: one that read before the store adopted a new file must not move this back to the old one.
            replaced = _last is { } last && IsNewer(last, now);
            if (_last is null || replaced)
            {
                _last = now;
                _held = null;
            }
        }

        if (replaced && now.StoreId != before?.StoreId)
        {
            LogReplaced(logger, settings.Environment);
        }
        else if (replaced)
        {
            LogReopened(logger, settings.Environment);
        }

        return now;
    }

    private void NoteSchema(StoreIdentity now)
    {
        status?.SchemaRead(now.SchemaVersion, now.KnownSchemaVersion);
        var newer = now.SchemaIsNewer ? now.SchemaVersion : 0;
        if (Interlocked.Exchange(ref _newerLogged, newer) != newer && newer > 0)
        {
            LogNewerSchema(logger, settings.Environment, now.SchemaVersion, now.KnownSchemaVersion, settings.Host.OnNewerSchema, settings.Host.Serves ? "it goes on serving meanwhile; " : "");
        }
    }

    /// <summary>Whether <paramref name="now"/> is another store than <paramref name="before"/>, or the same one found again in another file.</summary>
    public static bool IsAnother(StoreIdentity before, StoreIdentity now) => now.StoreId != before.StoreId || now.Generation != before.Generation;

    private static bool IsNewer(StoreIdentity last, StoreIdentity now) =>
        now.Generation > last.Generation || (now.Generation == last.Generation && now.StoreId != last.StoreId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store of {Environment} was migrated to schema {Store} by a newer glidepath; this glidepath (schema {Known}) may drop what the new version records, {Advice} ({Meanwhile}logged once)")]
    private static partial void LogNewerSchema(ILogger logger, string environment, int store, int known, string advice, string meanwhile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store file of {Environment} was replaced by another store; following the new one")]
    private static partial void LogReplaced(ILogger logger, string environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store file of {Environment} was restored or reopened (the same store id, another file); following it")]
    private static partial void LogReopened(ILogger logger, string environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store file of {Environment} was replaced by another store (another store id) that has no stable release for it; not following it until it has one: the last routing table is served, and the controller, drift check and trace retention skip their passes (deploy a release there, or put the old store back)")]
    private static partial void LogNotFollowed(ILogger logger, string environment);
}
