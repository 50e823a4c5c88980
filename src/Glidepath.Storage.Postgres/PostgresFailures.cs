using System.Net.Sockets;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// PostgreSQL's failures that pass with time: a serialization failure, a deadlock, a lock timeout, a statement that timed
/// out or was cancelled, too many connections, a server starting or shutting down, a session the server ended (an
/// administrator, an idle timeout), a connection lost, and a command that Npgsql's command timeout ended (a lock wait
/// on a server without our lock timeout, a server slow for a while, a link that hung). Nothing refused the write: the
/// same one may well pass later. Not Npgsql's wider <see cref="NpgsqlException.IsTransient"/>, which also counts a full
/// disk or memory: those last until an operator acts, and are refusals. A constraint violation or a permission error is
/// not transient either.
/// </summary>
/// <remarks>
/// A timeout can meet the same batch on every attempt (one the server cannot write within the command timeout, a row
/// whose lock is never let go). Until 2026-12 timeouts counted as refusals for that reason, which dropped a batch every
/// 30 s on a healthy gateway while another gateway's hung session held an aggregate row's lock. Now the lock wait ends on
/// the server (<see cref="PostgresSessionLimits"/>), and a writer gives a batch that stays busy up after its busy limit
/// (<c>ServingOptions.StoreBusyLimit</c>), so it does not hold back every later one.
/// </remarks>
internal static class PostgresFailures
{
    // idle_in_transaction_session_timeout ended the session (PostgreSQL 9.6+; Npgsql has no name for it).
    private const string IdleInTransactionSessionTimeout = "25P03";

    private static readonly HashSet<string> Busy = new(StringComparer.Ordinal)
    {
        PostgresErrorCodes.SerializationFailure,
        PostgresErrorCodes.DeadlockDetected,
        PostgresErrorCodes.LockNotAvailable,
        PostgresErrorCodes.QueryCanceled, // statement_timeout, or a cancel from outside (pg_cancel_backend)
        PostgresErrorCodes.TooManyConnections,
        PostgresErrorCodes.CannotConnectNow,
        PostgresErrorCodes.AdminShutdown, // a server stopping, or pg_terminate_backend
        PostgresErrorCodes.CrashShutdown,
        PostgresErrorCodes.IdleSessionTimeout,
        IdleInTransactionSessionTimeout,
    };

    /// <summary>
    /// The connection is gone or the server cannot take one now: a server stopping (57P01, and 57P02 after a crash of
    /// another backend) or starting (57P03), a connection exception (class 08), or a connection lost under Npgsql (an
    /// I/O or socket failure). What a restart, a failover or a pooler's reload looks like to a client.
    /// </summary>
    public static bool IsConnectionLost(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                        || pg.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { InnerException: IOException or SocketException }:
                    return true;
                case SocketException or IOException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>What to check after <paramref name="error"/>, for a command's message; null when there is nothing specific to say.</summary>
    public static string? Advice(Exception error) =>
        IsConnectionLost(error) ? "the server closed the connection or is restarting; retry when it is back"
        : IsTransient(error) ? "the server was busy (a lock or statement timeout, a conflict with another transaction, or too many connections); retry"
        : null;

    public static bool IsTransient(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return Busy.Contains(pg.SqlState);
                case NpgsqlException { InnerException: IOException or SocketException }:
                    return true; // the connection was lost
                case NpgsqlException { InnerException: TimeoutException }:
                    return true; // Npgsql's command timeout (it cancels the statement, or breaks the connection)
            }
        }

        return false;
    }
}
