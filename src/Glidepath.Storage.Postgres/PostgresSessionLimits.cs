using System.Globalization;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// How long a transaction of the store may wait for a lock, or sit idle between two statements, before the server ends
/// it. Set with <c>SET LOCAL</c> as each transaction begins (<see cref="PostgresDatabase.BeginAsync"/>): not as startup
/// options, which PgBouncer refuses, nor per session, which Npgsql's reset of a pooled connection (<c>DISCARD ALL</c>)
/// undoes. A lock wait then ends in PostgreSQL's lock timeout (55P03: the store is busy, the batch is kept) before Npgsql's
/// command timeout would end it from the client, and a gateway whose link hangs mid-transaction holds its locks (an
/// aggregate row's, an environment's) for <see cref="IdleInTransactionTimeout"/>, not until TCP gives up hours later.
/// </summary>
/// <param name="LockTimeout">PostgreSQL's <c>lock_timeout</c>; zero waits for ever.</param>
/// <param name="IdleInTransactionTimeout">PostgreSQL's <c>idle_in_transaction_session_timeout</c>; zero never ends the session.</param>
internal sealed record PostgresSessionLimits(TimeSpan LockTimeout, TimeSpan IdleInTransactionTimeout)
{
    /// <summary>
    /// Our transactions run their statements back to back, with nothing but the database to wait for between them: 10 s
    /// idle means the client is gone or hung, and the server ends the session, which lets its locks go.
    /// </summary>
    public static readonly TimeSpan DefaultIdleInTransactionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The lock timeout when the location turns Npgsql's command timeout off (<c>Command Timeout=0</c>).</summary>
    public static readonly TimeSpan LockTimeoutWithoutCommandTimeout = TimeSpan.FromSeconds(20);

    // The server's TCP keepalives on the transaction's socket (seconds, seconds, probes): a client whose host or link is
    // gone while the server waits on it mid-statement (a COPY) is noticed after about 10 + 5 × 3 = 25 s.
    private const int ServerKeepAliveIdle = 10;
    private const int ServerKeepAliveInterval = 5;
    private const int ServerKeepAliveCount = 3;

    // Npgsql's TCP keepalives on the client's sockets (seconds): a pooled connection whose server or link is gone is noticed
    // while it is idle (after the system's probe count, 9 on Linux: about 55 s), not at its next use after a command timeout.
    private const int ClientKeepAliveTime = 10;
    private const int ClientKeepAliveInterval = 5;

    /// <summary>
    /// The limits for a store whose connections have <paramref name="settings"/>: the lock timeout at two thirds of Npgsql's
    /// command timeout (20 s of the default 30 s), so that a lock wait ends on the server, as a lock timeout, and not as a
    /// client-side timeout that breaks the connection; idle in a transaction for <see cref="DefaultIdleInTransactionTimeout"/>.
    /// </summary>
    public static PostgresSessionLimits For(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lockTimeout = settings.CommandTimeout > 0
            ? TimeSpan.FromMilliseconds(settings.CommandTimeout * 1000L * 2 / 3)
            : LockTimeoutWithoutCommandTimeout;
        return new(lockTimeout, DefaultIdleInTransactionTimeout);
    }

    /// <summary>
    /// Turns Npgsql's TCP keepalives on for the store's connections, unless the location sets them itself
    /// (<c>TCP Keepalive</c>, <c>TCP Keepalive Time</c> or <c>TCP Keepalive Interval</c>).
    /// </summary>
    public static void AddClientKeepAlives(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TcpKeepAlive || settings.TcpKeepAliveTime > 0 || settings.TcpKeepAliveInterval > 0)
        {
            return;
        }

        settings.TcpKeepAliveTime = ClientKeepAliveTime;
        settings.TcpKeepAliveInterval = ClientKeepAliveInterval;
    }

    /// <summary>
    /// The statement that sets these limits, and the search path to <paramref name="schema"/> (a name the location
    /// checked: lower-case letters, digits and underscores), for the rest of the transaction it runs in (one round trip,
    /// with the <c>BEGIN</c>).
    /// </summary>
    public string SetLocalSql(string schema) => string.Create(CultureInfo.InvariantCulture, $"""
        SELECT set_config('search_path', '"{schema}"', true),
               set_config('lock_timeout', '{(long)LockTimeout.TotalMilliseconds}', true),
               set_config('idle_in_transaction_session_timeout', '{(long)IdleInTransactionTimeout.TotalMilliseconds}', true),
               set_config('tcp_keepalives_idle', '{ServerKeepAliveIdle}', true),
               set_config('tcp_keepalives_interval', '{ServerKeepAliveInterval}', true),
               set_config('tcp_keepalives_count', '{ServerKeepAliveCount}', true)
        """);
}
