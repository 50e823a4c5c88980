namespace Glidepath.Storage;

/// <summary>
/// How a store's failures read, so a background writer can tell one that passes with time (keep what could not be
/// written, try again) from a refusal (the same write would be refused again). Each store knows its own driver's errors.
/// </summary>
public interface IStoreFailures
{
    /// <summary>Where the store lives, for messages (a file path or a redacted connection string).</summary>
    string Location { get; }

    /// <summary>
    /// Whether <paramref name="error"/> (or an exception it wraps) may pass if the same write is tried again later: the
    /// store busy (SQLite's BUSY or LOCKED, another connection holding the write lock; PostgreSQL's serialization
    /// failures, lock and statement timeouts, too many connections, a command that timed out) or a connection lost. A
    /// constraint violation is not.
    /// </summary>
    bool IsTransient(Exception error);

    /// <summary>
    /// <paramref name="error"/> (a failure of this store's driver) as a command reports it: the store's own words on one
    /// line, without any secret, then what to check for this kind of store (PostgreSQL: a server that closed the
    /// connection or is restarting; SQLite: free disk space and a writable file). Without <see cref="Location"/>: the
    /// caller names the store. The default is the error's message.
    /// </summary>
    string DescribeFailure(Exception error) => error.Message;
}
