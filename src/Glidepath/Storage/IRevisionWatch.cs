namespace Glidepath.Storage;

/// <summary>
/// A store that pushes its changes (PostgreSQL: LISTEN/NOTIFY) instead of waiting to be polled. Serving waits on it
/// between polls, so a rollback is served as soon as it commits; the poll stays as a safety net.
/// </summary>
public interface IRevisionWatch
{
    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, calling <paramref name="changed"/> for every change
    /// of an environment's state or keys, and with <see cref="RevisionNotice.Resync"/> after every (re)connection, since
    /// changes made while it was not listening were missed, and with <see cref="RevisionNotice.Lost"/> when its connection
    /// fails or cannot be made (nothing is pushed until the next resync). Connection failures are retried, never thrown.
    /// </summary>
    Task WatchAsync(Action<RevisionNotice> changed, CancellationToken cancellationToken);

    /// <summary>
    /// Announces <see cref="RevisionNotice.Probe"/> of <paramref name="token"/> the way a change is announced: from another
    /// session than the watch's (a pooled connection of the store), so it reaches a watch only where a change committed
    /// elsewhere would. Every watch on the store receives it; it concerns no environment. Throws when the store cannot
    /// be reached.
    /// </summary>
    Task ProbeAsync(string token, CancellationToken cancellationToken);
}
