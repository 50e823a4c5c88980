using System.Globalization;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>Small helpers shared by the sub-stores: commands with nullable parameters, and times as the SQLite store writes them.</summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? tx = null) => new(sql, connection, tx);

    /// <summary>Adds <c>@name</c>; null becomes SQL NULL.</summary>
    public static NpgsqlCommand With(this NpgsqlCommand cmd, string name, object? value)
    {
        cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    public static string? StringOrNull(this NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    /// <summary>UTC round-trip text (environments, verdicts, rollouts): fixed width, so text order is time order.</summary>
    public static string Utc(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseUtc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>Round-trip text keeping the caller's offset (releases, provenance, eval runs).</summary>
    public static string AsGiven(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseAsGiven(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Fixed-width UTC text ending in Z (traces, aggregates, cache, monitor).</summary>
    public static string Iso(DateTimeOffset time) => Glidepath.Storage.Sql.TraceRows.Iso(time);

    public static DateTimeOffset ParseIso(string text) => Glidepath.Storage.Sql.TraceRows.ParseIso(text);
}
