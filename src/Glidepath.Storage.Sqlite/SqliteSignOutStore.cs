using Glidepath.Access;
using Microsoft.Data.Sqlite;
using static Glidepath.Storage.Sql.TraceRows;

namespace Glidepath.Storage.Sqlite;

/// <summary>Signed-out dashboard sessions in SQLite (migration 0021).</summary>
internal sealed class SqliteSignOutStore(SqliteDatabase database) : ISignOutStore
{
    public async Task AddAsync(SignedOutSession signOut, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signOut);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            DELETE FROM signed_out_sessions WHERE until < $forget;
            INSERT INTO signed_out_sessions (session_id, app, signed_out_at, until) VALUES ($id, $app, $at, $until) ON CONFLICT (session_id) DO NOTHING;
            """;
        cmd.Parameters.AddWithValue("$id", signOut.SessionId);
        cmd.Parameters.AddWithValue("$app", signOut.App);
        cmd.Parameters.AddWithValue("$at", Iso(signOut.SignedOutAt));
        cmd.Parameters.AddWithValue("$until", Iso(signOut.Until));
        cmd.Parameters.AddWithValue("$forget", Iso(signOut.SignedOutAt - ISignOutStore.ForgetAfter));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsSignedOutAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM signed_out_sessions WHERE session_id = $id";
        cmd.Parameters.AddWithValue("$id", sessionId);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
