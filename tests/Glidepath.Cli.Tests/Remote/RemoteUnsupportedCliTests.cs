using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>
/// Newcomer trial L2: a command that works on the store itself, given --server without a token, asked for a token, and
/// only once one was set said it cannot talk to --server. It says that first; no token is needed to hear it.
/// </summary>
public sealed class RemoteUnsupportedCliTests
{
    [Theory]
    [InlineData("release", "list")]
    [InlineData("checklist", "v1", "--env", "staging")]
    [InlineData("gate", "v1", "--baseline", "v1")]
    public async Task CommandThatCannotGoRemote_ServerWithoutToken_SaysItCannotTalkToTheServerNotThatATokenIsMissing(params string[] command)
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Glidepath.Cli.Remote.RemoteAdmin.TokenVariable)), "GLIDEPATH_TOKEN is set in the test's environment");
        await using var app = await EnvApp.CreateAsync(1);

        var (code, _, stderr) = await app.RunAsync([.. command, "--server", "http://127.0.0.1:9"]);

        Assert.Equal(ExitCodes.BadInput, code);
        var path = command[0] == "release" ? "release list" : command[0];
        Assert.Contains($"'{path}' works on the store itself and cannot talk to --server http://127.0.0.1:9", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("needs a token", stderr, StringComparison.Ordinal);
    }
}
