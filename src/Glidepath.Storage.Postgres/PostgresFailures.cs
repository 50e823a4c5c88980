using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// PostgreSQL's transient failures, as Npgsql classifies them (<see cref="NpgsqlException.IsTransient"/>): serialization
/// failures, deadlocks, lock timeouts, too many connections, a server starting or shutting down, and a connection lost or
/// timed out. A constraint violation or a permission error is not.
/// </summary>
internal static class PostgresFailures
{
    public static bool IsTransient(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
