namespace Glidepath.Serving.Routing;

/// <summary>
/// How the changes of the store (a rollback, a step, a key revoked) reach this host: a gateway's <c>/readyz</c>
/// <c>changes</c>, an app's <c>GlidepathRuntime.Changes</c>.
/// </summary>
public enum ChangeFeed
{
    /// <summary>Read by polling only: the store pushes nothing (SQLite, in memory), or the host ignores its pushes (<c>serve --poll-only</c>; an app's <c>GlidepathOptions.FollowPushes = false</c>).</summary>
    Polled,

    /// <summary>Pushed by the store (PostgreSQL LISTEN/NOTIFY); no probe has come back yet.</summary>
    PushedNotCheckedYet,

    /// <summary>Pushed by the store, and the last probe this host sent came back: the poll is only a safety net.</summary>
    Pushed,

    /// <summary>
    /// The store should push them, but the last probe this host sent did not come back (a pooler in transaction mode
    /// holds the LISTEN on a session nobody reads): the host polls as often as <c>--poll-only</c> does until one does.
    /// </summary>
    PushesNotArriving,

    /// <summary>
    /// The store should push them, but the connection that listens for them is gone (the server stopped, restarted or
    /// became unreachable) and is being made again: until it is, changes reach the host only by its poll.
    /// </summary>
    Reconnecting,
}
