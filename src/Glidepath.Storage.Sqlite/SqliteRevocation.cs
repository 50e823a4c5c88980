using Glidepath.Access;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Revoking a key or a token (migration 0024): the first revocation's time, actor and reason are kept, so revoking twice
/// neither moves the time nor hands the act to the second caller. Every SET expression reads the row as it was.
/// </summary>
internal static class SqliteRevocation
{
    public const string Set =
        "revoked_by = CASE WHEN revoked_at IS NULL THEN $revokedBy ELSE revoked_by END, " +
        "revoke_reason = CASE WHEN revoked_at IS NULL THEN $revokeReason ELSE revoke_reason END, " +
        "revoked_at = COALESCE(revoked_at, $revokedAt)";

    public static void Bind(SqliteCommand cmd, Revocation revocation)
    {
        cmd.Parameters.AddWithValue("$revokedAt", Glidepath.Storage.Sql.TraceRows.Iso(revocation.At));
        cmd.Parameters.AddWithValue("$revokedBy", revocation.By);
        cmd.Parameters.AddWithValue("$revokeReason", (object?)revocation.Reason ?? DBNull.Value);
    }
}
