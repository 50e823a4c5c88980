using Glidepath.Evals.Runs;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>A run's lease (<see cref="EvalRunLease"/>): one process at a time runs a run.</summary>
internal sealed partial class PostgresEvalRunStore
{
    private const string LeaseColumns = "holder, host, pid, since, expires_at";

    public async Task<EvalRunLease?> TryLeaseAsync(string runId, EvalRunLease lease, DateTimeOffset now, string? takeOverFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);

        // The run's row locked first: of two processes taking the lease at once, the second waits and finds the first's lease.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (var find = connection.Command("SELECT 1 FROM eval_runs WHERE id = @run FOR UPDATE", tx).With("run", runId))
        {
            if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                throw new Errors.OperationalException($"cannot lease eval run {runId} in the store: there is no such run; nothing was written");
            }
        }

        int taken;
        await using (var take = connection.Command($"""
            INSERT INTO eval_run_leases (run_id, {LeaseColumns}) VALUES (@run, @holder, @host, @pid, @since, @expires)
            ON CONFLICT (run_id) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
                since = CASE WHEN eval_run_leases.holder = excluded.holder THEN eval_run_leases.since ELSE excluded.since END,
                expires_at = excluded.expires_at
            WHERE eval_run_leases.holder = excluded.holder OR eval_run_leases.expires_at <= @now OR eval_run_leases.holder = @takeOver
            """, tx))
        {
            take.With("run", runId).With("holder", lease.Holder).With("host", lease.Host).With("pid", lease.Pid)
                .With("since", Utc(lease.Since)).With("expires", Utc(lease.ExpiresAt)).With("now", Utc(now)).With("takeOver", takeOverFrom);
            taken = await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var standing = taken > 0 ? null : await ReadLeaseAsync(connection, tx, runId, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return standing;
    }

    public async Task<EvalRunLease?> LeaseAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLeaseAsync(connection, null, runId, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseLeaseAsync(string runId, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("DELETE FROM eval_run_leases WHERE run_id = @run AND holder = @holder").With("run", runId).With("holder", holder);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<EvalRunLease?> ReadLeaseAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string runId, CancellationToken cancellationToken)
    {
        await using var cmd = connection.Command($"SELECT {LeaseColumns} FROM eval_run_leases WHERE run_id = @run", tx).With("run", runId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new EvalRunLease(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), ParseUtc(reader.GetString(3)), ParseUtc(reader.GetString(4)))
            : null;
    }
}
