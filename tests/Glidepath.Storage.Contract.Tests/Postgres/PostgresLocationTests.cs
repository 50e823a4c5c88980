using Glidepath.Errors;
using Glidepath.Storage.Postgres;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// What <see cref="PostgresLocation.Parse"/> and the provider say about a location, whatever its password holds; no server
/// needed (a location that parses is opened on 127.0.0.1:1, where nothing listens).
/// </summary>
public sealed class PostgresLocationTests
{
    private static readonly PostgresStoreProvider Provider = new();

    // Each password is two pieces no message holds by chance, around what a reader of either syntax cuts at.
    public static TheoryData<string> Passwords => new()
    {
        "Zq7x/Wv9k", "Zq7x;Wv9k", "Zq7x'Wv9k", "Zq7x\"Wv9k", "Zq7x@Wv9k", "Zq7x#Wv9k", "Zq7x?Wv9k", "Zq7x%Wv9k", "Zq7x%2FWv9k",
        "Zq7x Wv9k", "Zq7xü€Wv9k", "Zq7x&Wv9k", "Zq7x=Wv9k", "Zq7x:Wv9k", "5432/Zq7xWv9k", "Zq7x/;'\"@#?% &=:üWv9k",
    };

    // Each way to write it: percent-encoded or quoted (parses), raw (may not), and each next to a setting that fails.
    private static readonly Func<string, string>[] Forms =
    [
        pw => $"postgres://glidepath:{pw}@127.0.0.1:1/glidepath",
        pw => $"postgres://glidepath:{pw}@127.0.0.1/glidepath",
        pw => $"postgres://glidepath:{pw}@127.0.0.1:notaport/glidepath",
        pw => $"postgresql://glidepath:{Uri.EscapeDataString(pw)}@127.0.0.1:1/glidepath",
        pw => $"postgres://glidepath:{Uri.EscapeDataString(pw)}@127.0.0.1:notaport/glidepath",
        pw => $"postgres://glidepath:{Uri.EscapeDataString(pw)}@127.0.0.1:1/glidepath?frobnicate=yes",
        pw => $"postgres://glidepath@127.0.0.1:1/glidepath?password={pw}",
        pw => $"postgres://glidepath@127.0.0.1:1/glidepath?Password={Uri.EscapeDataString(pw)}&frobnicate=yes",
        pw => $"Host=127.0.0.1;Port=1;Username=glidepath;Password='{pw.Replace("'", "''", StringComparison.Ordinal)}';Database=glidepath",
        pw => $"Host=127.0.0.1;Port=notaport;Username=glidepath;Password='{pw.Replace("'", "''", StringComparison.Ordinal)}';Database=glidepath",
        pw => $"Host=127.0.0.1;Port=1;Username=glidepath;Password=\"{pw.Replace("\"", "\"\"", StringComparison.Ordinal)}\";Database=glidepath;Timeout=x",
        pw => $"Host=127.0.0.1;Port=1;Username=glidepath;Password={pw};Database=glidepath",
        pw => $"Host=127.0.0.1;Port=notaport;Username=glidepath;Pwd={pw};Database=glidepath",
        pw => $"Host=127.0.0.1;Port=1;Username=glidepath;Password={pw};Frobnicate=yes;Database=glidepath",
        pw => $"Host=127.0.0.1;Port=1;Username=glidepath;Password='{pw}",
        pw => $"Host=127.0.0.1;Port=notaport;Username=glidepath;SSL Password='{pw.Replace("'", "''", StringComparison.Ordinal)}';Database=glidepath",
    ];

    [Theory]
    [MemberData(nameof(Passwords))]
    public async Task ParseAndOpen_AnyPasswordInAnyForm_NoPieceOfItInAnyMessage(string password)
    {
        foreach (var form in Forms)
        {
            var location = form(password);
            foreach (var message in await MessagesAboutAsync(location))
            {
                Assert.False(
                    message.Contains("Zq7x", StringComparison.OrdinalIgnoreCase) || message.Contains("Wv9k", StringComparison.OrdinalIgnoreCase),
                    $"{location} → {message}");
            }
        }
    }

    // The trial's two commands, as they were typed.
    [Theory]
    [InlineData("postgres://glidepath:ab/cdSecret@127.0.0.1:55439/glidepath", "cdSecret", "'postgres://glidepath:***@127.0.0.1:55439/glidepath' is not a PostgreSQL location (")]
    [InlineData("Host=127.0.0.1;Port=notaport;Username=glidepath;Password='Sec;retUU';Database=glidepath", "retUU", "'Host=127.0.0.1;Port=notaport;Username=glidepath;Password=***;Database=glidepath' is not a PostgreSQL location (Couldn't set port")]
    [InlineData("Host=127.0.0.1;Port=1;Username=glidepath;Password=\"Sec;ret VV\";Database=glidepath;Timeout=x", "ret VV", "'Host=127.0.0.1;Port=1;Username=glidepath;Password=***;Database=glidepath;Timeout=x' is not a PostgreSQL location (Couldn't set timeout")]
    public void Parse_TrialLocations_ShownWithThePasswordMaskedWhole(string location, string piece, string start)
    {
        var ex = Assert.Throws<BadInputException>(() => PostgresLocation.Parse(location));

        Assert.StartsWith(start, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(piece, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Passwords))]
    public void Parse_PasswordPercentEncodedOrQuoted_ReadWhole(string password)
    {
        Assert.Equal(password, PostgresLocation.Parse($"postgres://glidepath:{Uri.EscapeDataString(password)}@127.0.0.1/glidepath").Settings.Password);
        Assert.Equal(password, PostgresLocation.Parse($"Host=127.0.0.1;Password='{password.Replace("'", "''", StringComparison.Ordinal)}';Database=glidepath").Settings.Password);
        Assert.Equal(password, PostgresLocation.Parse($"Host=127.0.0.1;Password=\"{password.Replace("\"", "\"\"", StringComparison.Ordinal)}\";Database=glidepath").Settings.Password);
    }

    // postgres://u:5432/x@h/db is a valid URI (host u, port 5432, database "x@h/db"): the password's end shown as a database.
    [Fact]
    public void Parse_AtAfterTheHost_RefusedAndMasked()
    {
        var ex = Assert.Throws<BadInputException>(() => PostgresLocation.Parse("postgres://glidepath:5432/Zq7xWv9k@127.0.0.1/glidepath"));

        Assert.StartsWith("'postgres://glidepath:***@127.0.0.1/glidepath' is not a PostgreSQL location (an '@' after the host; in a URI, percent-encode", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://glidepath_test:store@127.0.0.1:notaport/db", "'postgres://glidepath_test:***@127.0.0.1:notaport/db' is not a PostgreSQL location (Invalid URI: Invalid port specified.)")]
    [InlineData("Host=127.0.0.1;Password=store;Database=db;Frobnicate=yes", "'Host=127.0.0.1;Password=***;Database=db;Frobnicate=yes' is not a PostgreSQL location (Couldn't set frobnicate")]
    [InlineData("postgres://u@h/db?frobnicate=yes", "'postgres://u@h/db?frobnicate=yes' is not a PostgreSQL location (Couldn't set frobnicate")]
    public void Parse_Bad_ShowsTheLocationWithThePasswordMaskedAndTheParsersReason(string location, string start)
    {
        var ex = Assert.Throws<BadInputException>(() => PostgresLocation.Parse(location));

        Assert.StartsWith(start, ex.Message, StringComparison.Ordinal);
        Assert.Contains("; expected postgres://user@host:5432/database with the password in PGPASSWORD", ex.Message, StringComparison.Ordinal);
    }

    // The parser quotes what it could not read: "Couldn't set ret;database" for Password=Sec;ret left unquoted.
    [Fact]
    public void Parse_ParserQuotesAPieceOfThePassword_ItsTextWithheld()
    {
        var ex = Assert.Throws<BadInputException>(() => PostgresLocation.Parse("Host=127.0.0.1;Password=Sec;retUU;Database=glidepath"));

        Assert.Equal("'Host=127.0.0.1;Password=***;Database=glidepath' is not a PostgreSQL location (the error's details are withheld: they could contain the password)", ex.Message[..ex.Message.IndexOf("; expected", StringComparison.Ordinal)]);
    }

    // A trial's message said it twice: "(the error's details are withheld: they contain the password; it is not shown,
    // as it contains the password where it cannot be masked)".
    [Fact]
    public void Parse_AtInTheUriPassword_SaysOnceWhatIsWithheld()
    {
        var ex = Assert.Throws<BadInputException>(() => PostgresLocation.Parse("postgres://glidepath:p@ss@127.0.0.1:55439/glidepath"));

        var said = ex.Message[..ex.Message.IndexOf("; expected", StringComparison.Ordinal)];
        Assert.Single(said.Split("password").Skip(1));
        Assert.DoesNotContain("p@ss", ex.Message, StringComparison.Ordinal);
    }

    // A trial's error ended in a stray line: "…: 42P01: relation \"store_identity\" does not exist" then "POSITION: 35".
    [Fact]
    public void Detail_ServerErrorWithAPosition_ItsCodeAndTextOnOneLine()
    {
        var error = new Npgsql.PostgresException("relation \"store_identity\" does not exist", "ERROR", "ERROR", "42P01", position: 35);

        Assert.Equal("42P01: relation \"store_identity\" does not exist", PostgresLocation.Parse("postgres://gp@127.0.0.1/gp").Detail(error));
    }

    // What the location's parse says (it fails) or shows (Display), and what opening it says.
    private static async Task<List<string>> MessagesAboutAsync(string location)
    {
        PostgresLocation parsed;
        try
        {
            parsed = PostgresLocation.Parse(location);
        }
        catch (BadInputException ex)
        {
            return [ex.Message];
        }

        var messages = new List<string> { parsed.Display };
        try
        {
            await using var store = await Provider.OpenAsync(location, create: false, TimeProvider.System, default);
            messages.Add("opened: " + store.Location);
        }
        catch (GlidepathException ex)
        {
            messages.Add(ex.Message);
        }

        return messages;
    }
}
