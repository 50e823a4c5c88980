using System.Net.Sockets;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// PostgreSQL's failures that pass with time: a serialization failure, a deadlock, a lock timeout, too many connections,
/// a server starting or shutting down, and a connection lost. Not Npgsql's wider <see cref="NpgsqlException.IsTransient"/>:
/// that also counts a command timeout and a full disk or memory, which the same batch can meet on every attempt, and a
/// batch kept for ever would block the writer while every later trace is dropped. A constraint violation or a permission
/// error is not transient either.
/// </summary>
internal static class PostgresFailures
{
    private static readonly HashSet<string> Busy = new(StringComparer.Ordinal)
    {
        PostgresErrorCodes.SerializationFailure,
        PostgresErrorCodes.DeadlockDetected,
        PostgresErrorCodes.LockNotAvailable,
        PostgresErrorCodes.TooManyConnections,
        PostgresErrorCodes.CannotConnectNow,
    };

    public static bool IsTransient(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return Busy.Contains(pg.SqlState);
                case NpgsqlException { InnerException: IOException or SocketException }:
                    return true; // the connection was lost (not a timeout: that can repeat with the same batch)
            }
        }

        return false;
    }
}
