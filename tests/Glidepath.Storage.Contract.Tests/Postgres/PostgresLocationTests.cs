using Glidepath.Errors;
using Glidepath.Storage.Postgres;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>What <see cref="PostgresLocation.Parse"/> says about a location it cannot use; no server needed.</summary>
public sealed class PostgresLocationTests
{
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
}
