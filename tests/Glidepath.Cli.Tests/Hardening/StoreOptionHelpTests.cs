using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>
/// Every command's <c>--store</c> help showed <c>postgres://user:password@host/db</c>, inviting a password onto the command
/// line, where <c>/proc/PID/cmdline</c> shows it for the gateway's life; <c>--token</c>'s help already said where it goes instead.
/// </summary>
public sealed class StoreOptionHelpTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("status")]
    [InlineData("store migrate")]
    public async Task Help_StoreOption_NoPasswordInTheExampleAndSaysWhereItGoes(string command)
    {
        var r = await CliRunner.RunAsync([.. command.Split(' '), "--help"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        var store = r.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("--store", StringComparison.Ordinal));
        Assert.DoesNotContain(":password@", store, StringComparison.Ordinal);
        Assert.Contains("postgres://user@host/db; give the password in PGPASSWORD or GLIDEPATH_STORE, not on the command line", store, StringComparison.Ordinal);
    }
}
