using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// The rule every store applies on open (<see cref="UnfinishedCopy"/>): a store that a <c>glidepath store copy</c> was
/// filling when it was cut short is refused. Only a PostgreSQL store is a copy's target today; SQLite has the table and
/// honours a row in it all the same.
/// </summary>
internal static class SqliteUnfinishedCopy
{
    /// <summary>Throws <see cref="UnfinishedCopy.Refusal"/> when the store in <paramref name="database"/> (at the current schema) holds the mark.</summary>
    public static async Task RefuseAsync(SqliteDatabase database, string location, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(database.UnpooledConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT source, started_at FROM {UnfinishedCopy.Table} WHERE id = 1";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new UnfinishedCopy(reader.GetString(0), reader.GetString(1)).Refusal(location);
        }
    }
}
