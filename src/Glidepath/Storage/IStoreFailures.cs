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
}
