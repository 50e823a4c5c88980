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

    /// <summary>Whether <paramref name="location"/> is a PostgreSQL URI or an Npgsql connection string.</summary>
    public static bool IsPostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || location.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <c>postgres://user:pass@host:port/db?schema=s&amp;sslmode=…</c> (or <c>postgresql://…</c>) or an Npgsql
    /// connection string (<c>Host=…;Database=…</c>, the schema as <c>Search Path</c>). Bad input never echoes the password.
    /// </summary>
    public static PostgresLocation Parse(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var password = PasswordIn(location);
        try
        {
            return location.Contains("://", StringComparison.Ordinal) ? FromUri(location) : FromConnectionString(location);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            throw new BadInputException(NotALocation(location, password, ex), ex);
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
        return Detail(error.Message, Settings.Password);
    }

    private static string Detail(string text, string? password) =>
        string.IsNullOrEmpty(password) || !Holds(text, password) ? text : "the error's details are withheld: they contain the password";

    private static bool Holds(string text, string password) =>
        text.Contains(password, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(password), StringComparison.Ordinal);

    private static string NotALocation(string location, string? password, Exception ex)
    {
        const string Expected = "expected postgres://user:password@host:5432/database or Host=…;Database=…";
        var shown = StoreProviders.Redacted(location);
        if (string.IsNullOrEmpty(password) || !Holds(shown, password))
        {
            return $"'{shown}' is not a PostgreSQL location ({Detail(ex.Message, password)}); {Expected}";
        }

        // Said once: neither the location nor (when it holds the password too) the error's text.
        return Holds(ex.Message, password)
            ? $"the store location is not a PostgreSQL location (neither it nor the error's details are shown: they contain the password); {Expected}"
            : $"the store location is not a PostgreSQL location ({ex.Message}; the location is not shown: it contains the password where it cannot be masked); {Expected}";
    }

    private static PostgresLocation FromUri(string location)
    {
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

    // The password as written, found without a full parse, so that even a location that fails to parse is redacted.
    private static string? PasswordIn(string location)
    {
        var uri = UriPassword().Match(location);
        if (uri.Success)
        {
            return Uri.UnescapeDataString(uri.Groups[1].Value);
        }

        var kv = KeyValuePassword().Match(location);
        return kv.Success ? kv.Groups[1].Value.Trim() : null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    [GeneratedRegex("^[a-z]+://[^:/@]*:([^@/]*)@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();

    [GeneratedRegex("(?:^|;)\\s*(?:password|pwd)\\s*=\\s*([^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();
}
