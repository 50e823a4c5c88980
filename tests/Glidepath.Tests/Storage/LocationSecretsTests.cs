using Glidepath.Storage;

namespace Glidepath.Tests.Storage;

/// <summary>What a message may show of a store location that it could not parse, read by its own text.</summary>
public sealed class LocationSecretsTests
{
    [Theory]
    [InlineData("redis://user:s3cret@h/0", "redis://user:***@h/0")]
    [InlineData("postgres://u:ab/cd@h:5432/db", "postgres://u:***@h:5432/db")]
    [InlineData("postgres://u:a?b#c@d@h/db", "postgres://u:***@h/db")]
    [InlineData("postgres://u@h:5432/db", "postgres://u@h:5432/db")]
    [InlineData("postgres://u@h/db?sslmode=require&password=a&b", "postgres://u@h/db?sslmode=require&password=***")]
    [InlineData("postgres://u@h/db?SSL%20Password=x", "postgres://u@h/db?SSL%20Password=***")]
    [InlineData("Server=h;Password=s3cret;Db=x", "Server=h;Password=***;Db=x")]
    [InlineData("Host=h;Password='a;b';Database=d", "Host=h;Password=***;Database=d")]
    [InlineData("Host=h;Password=\"a\"\";b\";Database=d", "Host=h;Password=***;Database=d")]
    [InlineData("Host=h; pwd = 'a''b;c' ;Database=d", "Host=h; pwd = ***;Database=d")]
    [InlineData("Host=h;Password=a;b;Database=d", "Host=h;Password=***;Database=d")]
    [InlineData("Host=h;Password='a;b", "Host=h;Password=***")]
    [InlineData("Host=h;Password='a'b;Database=d", "Host=h;Password=***")]
    [InlineData("Host=h;SSL Password=x;Psw=y;Database=d", "Host=h;SSL Password=***;Psw=***;Database=d")]
    [InlineData("Host=h;Application Name='Password=x';Database=d", "Host=h;Application Name='Password=x';Database=d")]
    [InlineData("Host=h;Password='x://y@z';Database=d", "Host=h;Password=***;Database=d")]
    [InlineData("/tmp/x.db", "/tmp/x.db")]
    public void Masked_EveryPartThatCouldHoldAPassword(string location, string expected) =>
        Assert.Equal(expected, LocationSecrets.In(location).Masked);

    [Fact]
    public void Masked_UnknownKeyRightAfterAPassword_ReadAsMoreOfIt() =>
        Assert.Equal("Host=h;Password=***;Database=d", LocationSecrets.In("Host=h;Password=a;b=c;Database=d", key => key is "Host" or "Database").Masked);

    [Theory]
    [InlineData("Couldn't set retuu;database (Parameter 'retuu;database')", true)]
    [InlineData("Invalid URI: Invalid port specified.", false)]
    [InlineData("bad password Sec%3BretUU", true)]
    public void AreIn_APieceInAnyCaseOrEncoding(string text, bool expected) =>
        Assert.Equal(expected, LocationSecrets.In("Host=h;Password='Sec;RetUU';Database=d").AreIn(text));

    [Theory]
    [InlineData("postgres://u@h/db", true)]
    [InlineData("postgresql+x://u@h/db", true)]
    [InlineData("Host=h;Password='x://y'", false)]
    [InlineData("/tmp/x.db", false)]
    public void IsUri_OnlyASchemeBeforeTheSlashes(string location, bool expected) =>
        Assert.Equal(expected, LocationSecrets.IsUri(location));
}
