using Glidepath.Errors;
using Glidepath.Storage.Postgres;
using Npgsql;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// Which PostgreSQL failures pass with time, as Npgsql classifies them: a serialization failure, a lock timeout, too many
/// connections, a lost connection; the trace writer keeps a batch that failed so. A constraint violation is a refusal.
/// </summary>
public sealed class PostgresFailuresTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.LockNotAvailable)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
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

    [Fact]
    public void IsTransient_CommandTimeout_False() =>
        Assert.False(PostgresFailures.IsTransient(new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"))));

    [Fact]
    public void IsTransient_NotADatabaseError_False() =>
        Assert.False(PostgresFailures.IsTransient(new InvalidOperationException("no")));
}
