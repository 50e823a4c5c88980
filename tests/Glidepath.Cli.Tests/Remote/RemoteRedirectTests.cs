using System.Net;
using System.Net.Sockets;
using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>
/// The <c>--server</c> client never follows a redirect (it would post the body again wherever <c>Location</c> points) and
/// never prints a user part or query of an address (attack trial D, finding 8).
/// </summary>
public sealed class RemoteRedirectTests
{
    [Fact]
    public async Task Freeze_ServerAnswersRedirect_RefusedNamingTargetWithoutSecretsAndNothingResent()
    {
        await using var app = await EnvApp.CreateAsync(1);
        using var server = new RedirectingServer();

        var (code, stdout, stderr) = await app.RunAsync("freeze", "--env", "production", "--reason", "x", "--server", server.Url, "--token", "gpt_test");

        Assert.Equal(2, code);
        Assert.Equal(0, server.Stolen);
        Assert.Contains($"answered 307, a redirect to {server.Url}/steal; redirects are not followed", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("REDIRPASS", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("QSECRET", stdout + stderr, StringComparison.Ordinal);
    }

    // Trial attacker2 LOW 5: a server's error text printed its line breaks raw, so it could add a line that read as the
    // CLI's own. Its later lines are indented now.
    [Fact]
    public async Task Freeze_ServerErrorWithALineBreak_LaterLinesIndented()
    {
        await using var app = await EnvApp.CreateAsync(1);
        using var server = new HostileErrorServer();

        var (code, _, stderr) = await app.RunAsync("freeze", "--env", "production", "--reason", "x", "--server", server.Url, "--token", "gpt_test");

        Assert.Equal(4, code);
        Assert.DoesNotContain(stderr.Split('\n'), l => l.StartsWith("fake:", StringComparison.Ordinal));
        Assert.Contains("\n  fake: production frozen by root", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ServerWithPasswordNotListening_ErrorNamesItWithoutThePassword()
    {
        await using var app = await EnvApp.CreateAsync(1);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (code, stdout, stderr) = await app.RunAsync("status", "--server", $"http://admin:SRVPASS@127.0.0.1:{port}", "--token", "gpt_test");

        Assert.Equal(3, code);
        Assert.Contains($"cannot reach the admin API at http://127.0.0.1:{port}/", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("SRVPASS", stdout + stderr, StringComparison.Ordinal);
    }
}
