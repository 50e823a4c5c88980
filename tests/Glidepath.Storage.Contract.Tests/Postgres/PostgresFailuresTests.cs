using Glidepath.Errors;
using Glidepath.Storage.Postgres;
using Npgsql;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// Which PostgreSQL failures pass with time: a serialization failure, a lock or statement timeout, too many connections,
/// a session the server ended, a lost connection, a command Npgsql's command timeout ended; the trace writer keeps a batch
/// that failed so. A constraint violation, a full disk or out of memory is a refusal.
/// </summary>
public sealed class PostgresFailuresTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.LockNotAvailable)]
    [InlineData(PostgresErrorCodes.QueryCanceled)] // statement_timeout
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.AdminShutdown)] // pg_terminate_backend, a server stopping
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.IdleSessionTimeout)]
    [InlineData("25P03")] // idle_in_transaction_session_timeout ended the session
    public void IsTransient_BusyServer_True(string sqlState)
    {
        var error = new PostgresException("busy (test)", "ERROR", "ERROR", sqlState);

        Assert.True(PostgresFailures.IsTransient(error));
        Assert.True(PostgresFailures.IsTransient(new OperationalException("cannot write the batch", error)));
    }

    [Fact]
    public void IsTransient_ConnectionLost_True() =>
        Assert.True(PostgresFailures.IsTransient(new NpgsqlException("Exception while reading from stream", new IOException("connection reset"))));

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.CheckViolation)]
    [InlineData(PostgresErrorCodes.InsufficientPrivilege)]
    [InlineData(PostgresErrorCodes.ReadOnlySqlTransaction)]
    [InlineData(PostgresErrorCodes.DiskFull)] // Npgsql calls it transient; the same batch can meet it on every attempt
    [InlineData(PostgresErrorCodes.OutOfMemory)]
    public void IsTransient_Refusal_False(string sqlState) =>
        Assert.False(PostgresFailures.IsTransient(new PostgresException("refused (test)", "ERROR", "ERROR", sqlState)));

    // A lock wait (or a slow server, a hung link) that Npgsql's command timeout ended: nothing refused the batch. Until
    // 2026-12 it counted as a refusal, and a healthy gateway dropped a batch every 30 s behind another's hung session.
    [Fact]
    public void IsTransient_CommandTimeout_True() =>
        Assert.True(PostgresFailures.IsTransient(new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"))));

    [Fact]
    public void IsTransient_NotADatabaseError_False() =>
        Assert.False(PostgresFailures.IsTransient(new InvalidOperationException("no")));

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)] // a server stopping, pg_terminate_backend
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)] // starting up, or shutting down
    [InlineData(PostgresErrorCodes.ConnectionFailure)] // class 08
    [InlineData("08P01")]
    public void IsConnectionLost_ServerStoppingStartingOrConnectionFailed_True(string sqlState) =>
        Assert.True(PostgresFailures.IsConnectionLost(new PostgresException("gone (test)", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.QueryCanceled)]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    public void IsConnectionLost_TheServerAnswered_False(string sqlState) =>
        Assert.False(PostgresFailures.IsConnectionLost(new PostgresException("answered (test)", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void Advice_ByKindOfFailure()
    {
        Assert.Equal("the server closed the connection or is restarting; retry when it is back",
            PostgresFailures.Advice(new NpgsqlException("Failed to connect to 127.0.0.1:44502", new System.Net.Sockets.SocketException(111))));
        Assert.StartsWith("the server was busy", PostgresFailures.Advice(new PostgresException("deadlock", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected)), StringComparison.Ordinal);
        Assert.Null(PostgresFailures.Advice(new PostgresException("refused", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
    }
}
