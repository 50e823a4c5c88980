using Glidepath.Evals.Runs;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>A run's lease (<see cref="EvalRunLease"/>): one process at a time runs a run.</summary>
internal sealed partial class SqliteEvalRunStore
{
    private const string LeaseColumns = "holder, host, pid, since, expires_at";

    public async Task<EvalRunLease?> TryLeaseAsync(string runId, EvalRunLease lease, DateTimeOffset now, string? takeOverFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);

        // Under the write lock (BEGIN IMMEDIATE): of two processes taking the lease at once, one finds the other's row.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT 1 FROM eval_runs WHERE id = $run";
        cmd.Parameters.AddWithValue("$run", runId);
        if (await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw new Errors.OperationalException($"cannot lease eval run {runId} in the store at {database.Path}: there is no such run; nothing was written");
        }

        cmd.CommandText = $"""
            INSERT INTO eval_run_leases (run_id, {LeaseColumns}) VALUES ($run, $holder, $host, $pid, $since, $expires)
            ON CONFLICT (run_id) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
                since = CASE WHEN eval_run_leases.holder = excluded.holder THEN eval_run_leases.since ELSE excluded.since END,
                expires_at = excluded.expires_at
            WHERE eval_run_leases.holder = excluded.holder OR eval_run_leases.expires_at <= $now OR eval_run_leases.holder = $takeOver
            """;
        cmd.Parameters.AddWithValue("$holder", lease.Holder);
        cmd.Parameters.AddWithValue("$host", lease.Host);
        cmd.Parameters.AddWithValue("$pid", lease.Pid);
        cmd.Parameters.AddWithValue("$since", SqliteEnvironmentStore.Format(lease.Since));
        cmd.Parameters.AddWithValue("$expires", SqliteEnvironmentStore.Format(lease.ExpiresAt));
        cmd.Parameters.AddWithValue("$now", SqliteEnvironmentStore.Format(now));
        cmd.Parameters.AddWithValue("$takeOver", (object?)takeOverFrom ?? DBNull.Value);
        var taken = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        var standing = taken ? null : await ReadLeaseAsync(cmd, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return standing;
    }

    public async Task<EvalRunLease?> LeaseAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Parameters.AddWithValue("$run", runId);
        return await ReadLeaseAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseLeaseAsync(string runId, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM eval_run_leases WHERE run_id = $run AND holder = $holder";
        cmd.Parameters.AddWithValue("$run", runId);
        cmd.Parameters.AddWithValue("$holder", holder);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // cmd has $run set.
    private static async Task<EvalRunLease?> ReadLeaseAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        cmd.CommandText = $"SELECT {LeaseColumns} FROM eval_run_leases WHERE run_id = $run";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new EvalRunLease(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), SqliteEnvironmentStore.Parse(reader.GetString(3)), SqliteEnvironmentStore.Parse(reader.GetString(4)))
            : null;
    }
}
