using System.Net;
using System.Net.Sockets;
using System.Text;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Gateway;

/// <summary>
/// `serve` and `dashboard` --forwarded-from / --forwarded-host: a named proxy's forwarded https reaches the dashboard
/// (its cookies are then Secure), and a value that names no proxy, or would trust everyone, is exit 2 before anything listens.
/// </summary>
public sealed class ServeForwardedTests
{
    [Theory]
    [InlineData("serve", "--forwarded-from", "0.0.0.0/0", "trusts every caller")]
    [InlineData("serve", "--forwarded-from", "proxy.internal", "is not an IP address")]
    [InlineData("serve", "--forwarded-host", "gp.example.com", "--forwarded-host needs --forwarded-from")]
    [InlineData("dashboard", "--forwarded-from", "::/0", "trusts every caller")]
    [InlineData("dashboard", "--forwarded-host", "gp.example.com", "--forwarded-host needs --forwarded-from")]
    public async Task ForwardedOptions_NamingNoProxy_Exit2BeforeListening(string command, string option, string value, string reason)
    {
        await using var app = await EnvApp.CreateAsync(1);

        var (code, stdout, stderr) = command == "serve"
            ? await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0", option, value)
            : await app.RunAsync("dashboard", "--urls", "http://127.0.0.1:0", option, value);

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {stdout}\n{stderr}");
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("dashboard")]
    public async Task ForwardedFrom_TheNamedProxysHttps_MakesTheDashboardsCookieSecure(string command)
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();
        var url = $"http://127.0.0.1:{FreePort()}";
        string[] args = command == "serve" ? ["serve", "--env", "staging", "--urls", url] : ["dashboard", "--urls", url];

        using var process = CliRunner.StartProcess(null, [.. args, "--forwarded-from", "127.0.0.1", "--manifest", app.Manifest, "--store", app.StorePath]);
        var output = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        try
        {
            // Its start-up note names the proxies, and comes once it listens.
            await WaitForOutputAsync("forwarded scheme believed from 127.0.0.1", process, output);
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false });
            var plain = await CsrfCookieAsync(http, url, null);
            var forwarded = await CsrfCookieAsync(http, url, "https");

            Assert.DoesNotContain("secure", plain, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; secure", forwarded, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The antiforgery cookie the sign-in page sets.</summary>
    private static async Task<string> CsrfCookieAsync(HttpClient http, string url, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url + "/dashboard/sign-in");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var page = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("glidepath_csrf=", StringComparison.Ordinal));
    }

    private static async Task WaitForOutputAsync(string text, System.Diagnostics.Process process, StringBuilder output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            lock (output)
            {
                if (output.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                Assert.True(DateTime.UtcNow < deadline && !process.HasExited, $"{process.StartInfo.ArgumentList[1]} did not start: {output}");
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
