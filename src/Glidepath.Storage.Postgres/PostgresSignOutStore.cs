using Glidepath.Access;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Signed-out dashboard sessions in PostgreSQL (migration 0021).</summary>
internal sealed class PostgresSignOutStore(PostgresDatabase database) : ISignOutStore
{
    public async Task AddAsync(SignedOutSession signOut, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signOut);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (var prune = connection.Command("DELETE FROM signed_out_sessions WHERE until < @forget", tx).With("forget", Iso(signOut.SignedOutAt - ISignOutStore.ForgetAfter)))
        {
            await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var add = connection.Command("INSERT INTO signed_out_sessions (session_id, app, signed_out_at, until) VALUES (@id, @app, @at, @until) ON CONFLICT (session_id) DO NOTHING", tx)
            .With("id", signOut.SessionId).With("app", signOut.App).With("at", Iso(signOut.SignedOutAt)).With("until", Iso(signOut.Until)))
        {
            await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsSignedOutAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("SELECT 1 FROM signed_out_sessions WHERE session_id = @id").With("id", sessionId);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
