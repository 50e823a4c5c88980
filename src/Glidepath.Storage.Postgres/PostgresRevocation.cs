using Glidepath.Access;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// Revoking a key or a token (migration 0024, as the SQLite store's): the first revocation's time, actor and reason are
/// kept, so revoking twice neither moves the time nor hands the act to the second caller. Every SET expression reads
/// the row as it was.
/// </summary>
internal static class PostgresRevocation
{
    // The casts type the parameters, which a NULL reason alone would leave unknown.
    public const string Set =
        "revoked_by = CASE WHEN revoked_at IS NULL THEN @revokedBy::text ELSE revoked_by END, " +
        "revoke_reason = CASE WHEN revoked_at IS NULL THEN @revokeReason::text ELSE revoke_reason END, " +
        "revoked_at = COALESCE(revoked_at, @revokedAt::text)";

    public static NpgsqlCommand WithRevocation(this NpgsqlCommand cmd, Revocation revocation) =>
        cmd.With("revokedAt", Iso(revocation.At)).With("revokedBy", revocation.By).With("revokeReason", revocation.Reason);
}
