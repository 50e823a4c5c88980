using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// The mark of a <c>glidepath store copy</c> into this store that has not finished (<see cref="UnfinishedCopy"/>): read
/// on every open, which refuses the store while it is there.
/// </summary>
internal static class PostgresUnfinishedCopy
{
    /// <summary>Throws <see cref="UnfinishedCopy.Refusal"/> when the store (at the current schema) holds the mark.</summary>
    public static async Task RefuseAsync(NpgsqlConnection connection, PostgresLocation location, CancellationToken cancellationToken)
    {
        await using var cmd = connection.Command($"SELECT source, started_at FROM \"{location.Schema}\".{UnfinishedCopy.Table} WHERE id = 1");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new UnfinishedCopy(reader.GetString(0), reader.GetString(1)).Refusal(location.Display);
        }
    }
}
