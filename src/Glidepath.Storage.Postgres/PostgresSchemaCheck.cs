using System.Text;
using Glidepath.Errors;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// Makes sure a session reads the store's own schema. The store picks its schema with the <c>search_path</c> startup
/// parameter and most of its SQL names no schema, so a session that lost the parameter on the way (a pooler such as
/// PgBouncer told to drop it, <c>ignore_startup_parameters</c>) reads and writes whatever schema the role's default path
/// finds: in an outside trial, <c>release create</c> aimed at one store registered the release in another, and the
/// identity check, read from that other schema too, did not notice. Checked when each physical connection is made (one
/// query per connection, not per command) and with every read of the store's identity (the same query, no extra round
/// trip); the store's transactions also set the path themselves (<see cref="PostgresDatabase.BeginAsync"/>).
/// </summary>
internal static class PostgresSchemaCheck
{
    /// <summary>The session's schema as PostgreSQL resolves it (null when no schema on its path exists), and the path itself.</summary>
    public const string SessionSql = "SELECT current_schema(), current_setting('search_path')";

    // SQLSTATE 08P01, protocol_violation: what PgBouncer answers at connect to a startup parameter it does not track.
    private const string ProtocolViolation = "08P01";

    private const int MaxShown = 200;

    /// <summary>
    /// Run on each new physical connection: refuses one whose current schema is another than the store's. A current
    /// schema of none is let through: no schema on the path exists yet (a store about to be created; the migrator names its
    /// schema in every statement), and an unqualified name then resolves nowhere, so nothing is read or written elsewhere.
    /// </summary>
    /// <remarks>No cancellation token: Npgsql's initializer gets none; the location's command timeout bounds the query.</remarks>
    public static async Task OnConnectAsync(PostgresLocation location, NpgsqlConnection connection)
    {
        await using var cmd = new NpgsqlCommand(SessionSql, connection);
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        var current = reader.StringOrNull(0);
        if (current is not null && current != location.Schema)
        {
            throw Mismatch(location, current, reader.StringOrNull(1));
        }
    }

    /// <summary>Refuses a session whose current schema (read with the store's identity) is not the store's.</summary>
    public static void Require(PostgresLocation location, string? current, string? searchPath)
    {
        if (current != location.Schema)
        {
            throw Mismatch(location, current, searchPath);
        }
    }

    /// <summary>
    /// <paramref name="error"/>'s text (<see cref="PostgresLocation.Detail"/>) and, for a protocol violation (08P01), what
    /// it most likely means when connecting: a pooler refused the <c>search_path</c> startup parameter, and what to do.
    /// </summary>
    public static string Explain(PostgresLocation location, Exception error)
    {
        ArgumentNullException.ThrowIfNull(location);
        var detail = location.Detail(error);
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: ProtocolViolation })
            {
                return $"{detail}. A protocol violation on connecting is what a connection pooler such as PgBouncer answers to the search_path startup parameter, "
                    + $"which picks the store's schema ({location.Schema}): connect to PostgreSQL directly, or have the pooler track search_path "
                    + $"(PgBouncer's track_extra_parameters), or have it ignore the parameter (ignore_startup_parameters = search_path) and give the store's role "
                    + $"the schema by default ({AlterRole(location)}); see docs/deploy.md, connection pooling";
            }
        }

        return detail;
    }

    private static OperationalException Mismatch(PostgresLocation location, string? current, string? searchPath) =>
        new($"the store at {location.Display} (schema {location.Schema}) is not what this connection reads: its current schema is "
            + $"{Shown(current)} (search_path {Shown(searchPath)}). A connection pooler such as PgBouncer dropped the search_path setting "
            + $"(ignore_startup_parameters); connect to PostgreSQL directly, give the store's role the schema by default ({AlterRole(location)}), "
            + "or use a database of its own with schema public (?schema=public)");

    private static string AlterRole(PostgresLocation location)
    {
        var role = string.IsNullOrEmpty(location.Settings.Username) ? "ROLE" : Shown(location.Settings.Username);
        return $"ALTER ROLE {role} SET search_path = {location.Schema}";
    }

    // The server's text, shown on one line and bounded: a search_path is whatever an administrator set.
    private static string Shown(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }

        var shown = new StringBuilder(Math.Min(text.Length, MaxShown) + 1);
        foreach (var c in text.Length > MaxShown ? text[..MaxShown] : text)
        {
            shown.Append(char.IsControl(c) ? '?' : c);
        }

        return text.Length > MaxShown ? shown.Append('…').ToString() : shown.ToString();
    }
}
