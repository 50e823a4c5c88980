using System.Text.RegularExpressions;
using Glidepath.Errors;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// Where a PostgreSQL store is: the connection settings, the schema that holds it, and a display form without the
/// password. Every message about the store shows <see cref="Display"/>, and an outside error's text only through
/// <see cref="Detail(Exception)"/>.
/// </summary>
public sealed partial record PostgresLocation
{
    public const string DefaultSchema = "glidepath";

    private PostgresLocation(NpgsqlConnectionStringBuilder settings, string schema)
    {
        Settings = settings;
        Schema = schema;
        var port = settings.Port == NpgsqlConnection.DefaultPort ? "" : $":{settings.Port}";
        var user = string.IsNullOrEmpty(settings.Username) ? "" : Uri.EscapeDataString(settings.Username) + "@";
        var query = schema == DefaultSchema ? "" : $"?schema={schema}";
        Display = $"postgres://{user}{settings.Host}{port}/{Uri.EscapeDataString(settings.Database ?? "")}{query}";
    }

    /// <summary>The connection settings, password included: never printed.</summary>
    internal NpgsqlConnectionStringBuilder Settings { get; }

    /// <summary>The schema the store's tables live in (<c>glidepath</c> unless the location names another).</summary>
    public string Schema { get; }

    /// <summary>The location as a URI without the password: what <see cref="IGlidepathStore.Location"/> shows.</summary>
    public string Display { get; }

    /// <summary>
    /// Whether connections ask for the store's schema with the <c>search_path</c> startup parameter (always, outside
    /// tests: false is a session whose pooler dropped it, <c>ignore_startup_parameters</c>).
    /// </summary>
    internal bool SendsSearchPath { get; init; } = true;

    /// <summary>Whether <paramref name="location"/> is a PostgreSQL URI or an Npgsql connection string.</summary>
    public static bool IsPostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || location.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <c>postgres://user:pass@host:port/db?schema=s&amp;sslmode=…</c> (or <c>postgresql://…</c>) or an Npgsql
    /// connection string (<c>Host=…;Database=…</c>, the schema as <c>Search Path</c>). Bad input never echoes the
    /// password, nor any piece of it (<see cref="LocationSecrets"/>).
    /// </summary>
    public static PostgresLocation Parse(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        try
        {
            return LocationSecrets.IsUri(location) ? FromUri(location) : FromConnectionString(location);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            throw new BadInputException(NotALocation(location, ex), ex);
        }
    }

    /// <summary>
    /// <paramref name="error"/>'s text for a message about this store: whole, or withheld whole when it holds the
    /// password. Masking the password inside the text would garble it where the password's letters occur
    /// ("cannot o***en" for the password "p"), and so show the password.
    /// </summary>
    public string Detail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);

        // The server's own words on one line: Npgsql's Message adds lines (POSITION: 35) that a one-line error cannot hold.
        var text = error is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : error.Message;
        return Holds(text, Settings.Password) || Holds(text, Settings.SslPassword)
            ? "the error's details are withheld: they contain the password"
            : text;
    }

    private static bool Holds(string text, string? password) =>
        !string.IsNullOrEmpty(password)
        && (text.Contains(password, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(password), StringComparison.Ordinal));

    // The location as it can be shown (every part that could hold the password masked, by a reader of its own rather
    // than the parser that just failed on it) and the parser's text only when it holds no piece of the password: a
    // parser quotes what it could not read ("Couldn't set ret;database" for the password Sec;ret left unquoted).
    private static string NotALocation(string location, Exception ex)
    {
        const string Expected = "expected postgres://user@host:5432/database with the password in PGPASSWORD, or Host=…;Database=…";
        var secrets = LocationSecrets.In(location, IsNpgsqlKey);
        var detail = secrets.AreIn(ex.Message) ? "the error's details are withheld: they could contain the password" : ex.Message;
        return $"'{secrets.Masked}' is not a PostgreSQL location ({detail}); {Expected}";
    }

    private static bool IsNpgsqlKey(string key) => key.Length > 0 && new NpgsqlConnectionStringBuilder().ContainsKey(key);

    private static PostgresLocation FromUri(string location)
    {
        // An '@' past the host is the end of a password holding an unencoded '/', '?' or '#' (postgres://u:5432/x@h/db
        // parsed as host u, database "x@h/db"): refused, so that no piece of a password is taken for a host or a database.
        var authority = location.IndexOf("://", StringComparison.Ordinal) + 3;
        var hostEnd = location.IndexOfAny(['/', '?', '#'], authority);
        if (hostEnd >= 0 && location.IndexOf('@', hostEnd) >= 0)
        {
            throw new FormatException("an '@' after the host; in a URI, percent-encode '/', '?', '#' and '@' in the user name and password (%2F, %3F, %23, %40)");
        }

        var uri = new Uri(location);
        if (uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new FormatException($"scheme '{uri.Scheme}' is not postgres or postgresql");
        }

        var settings = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            settings.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            settings.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                settings.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw new FormatException("no database after the host");
        }

        settings.Database = database;
        var schema = DefaultSchema;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (key.Equals("schema", StringComparison.OrdinalIgnoreCase))
            {
                schema = value;
            }
            else
            {
                settings[key] = value;
            }
        }

        return new PostgresLocation(settings, CheckSchema(schema));
    }

    private static PostgresLocation FromConnectionString(string location)
    {
        var settings = new NpgsqlConnectionStringBuilder(location);
        if (string.IsNullOrEmpty(settings.Database))
        {
            throw new FormatException("no Database=");
        }

        var schema = string.IsNullOrEmpty(settings.SearchPath) ? DefaultSchema : settings.SearchPath;
        settings.SearchPath = null;
        return new PostgresLocation(settings, CheckSchema(schema));
    }

    private static string CheckSchema(string schema) =>
        SchemaName().IsMatch(schema) ? schema : throw new FormatException($"schema '{schema}' must be lower-case letters, digits and underscores");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}\\z")]
    private static partial Regex SchemaName();
}
