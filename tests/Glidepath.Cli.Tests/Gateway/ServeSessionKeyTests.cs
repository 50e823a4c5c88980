using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Gateway;

/// <summary>
/// `serve` and `dashboard` --session-key-env NAME: a variable not set, or holding fewer than 32 bytes, is exit 2 naming it
/// (never its value) before anything listens; with it, two `glidepath dashboard` processes read each other's session
/// cookies, and the secret is nowhere in what they print or log (data protection's own logging turned up to Trace).
/// </summary>
public sealed partial class ServeSessionKeyTests
{
    private const string Secret = "Jr8Lq2Wx5Ze9Kc1Vb7Nm4Tp0Hs6Gd3Fy+process/secret=";

    [Theory]
    [InlineData("serve", null)]
    [InlineData("serve", "Too-short-for-a-session-key")]
    [InlineData("dashboard", null)]
    [InlineData("dashboard", "Too-short-for-a-session-key")]
    public async Task SessionKeyEnv_NotSetOrShort_Exit2NamingTheVariable_NotItsValue(string command, string? value)
    {
        await using var app = await EnvApp.CreateAsync(1);
        var variable = "GP_TEST_SK_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            var (code, stdout, stderr) = command == "serve"
                ? await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0", "--session-key-env", variable)
                : await app.RunAsync("dashboard", "--urls", "http://127.0.0.1:0", "--session-key-env", variable);

            Assert.True(code == ExitCodes.BadInput, $"exit {code}: {stdout}\n{stderr}");
            Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.Contains(variable + (value is null ? " is not set or empty" : " is shorter than 32 bytes"), stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Too-short", stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task SessionKeyEnv_TwoDashboardProcesses_ShareASignIn_AndNeitherPrintsTheSecret()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.DeployAllToStagingAsync();
        var token = (await app.JsonAsync("tokens", "create", "--role", "viewer", "--env", "staging", "--name", "vera")).GetProperty("token").GetString()!;
        var env = new Dictionary<string, string>
        {
            ["GP_TEST_SESSION_KEY"] = Secret,
            // Data protection's own lines (the key ring it loads, the keys it finds) at their most verbose.
            ["Logging__LogLevel__Microsoft.AspNetCore.DataProtection"] = "Trace",
        };
        var a = await StartAsync(env, app, "--urls", $"http://127.0.0.1:{FreePort()}");
        var b = await StartAsync(env, app, "--urls", $"http://127.0.0.1:{FreePort()}", "--format", "json");
        try
        {
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
            var cookies = await SignInAsync(http, a.Url, token);
            using var onB = new HttpRequestMessage(HttpMethod.Get, b.Url + "/dashboard/environments");
            onB.Headers.Add("Cookie", cookies);
            using var page = await http.SendAsync(onB);

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("token:vera", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await a.StopAsync();
            await b.StopAsync();
        }

        Assert.Contains("sessions shared by every gateway given the secret in GP_TEST_SESSION_KEY", a.Output, StringComparison.Ordinal);
        Assert.Contains("\"session_key_env\": \"GP_TEST_SESSION_KEY\"", b.Output, StringComparison.Ordinal);
        // The logging asked for above is on: data protection did log its key ring (else this test would show nothing).
        Assert.Contains("Microsoft.AspNetCore.DataProtection", a.Output, StringComparison.Ordinal);
        foreach (var output in new[] { a.Output, b.Output })
        {
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret[..12], output, StringComparison.Ordinal);
        }
    }

    /// <summary>Opens the sign-in page and posts the token from it; returns the cookies the server set, as a Cookie header.</summary>
    private static async Task<string> SignInAsync(HttpClient http, string url, string token)
    {
        using var form = await http.GetAsync(url + "/dashboard/sign-in");
        var csrfCookie = Cookie(form, "glidepath_csrf");
        var csrf = CsrfField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, url + "/dashboard/sign-in")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", token), KeyValuePair.Create("csrf", csrf)]),
        };
        post.Headers.Add("Origin", url);
        post.Headers.Add("Cookie", csrfCookie);
        using var signedIn = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return csrfCookie + "; " + Cookie(signedIn, "glidepath_session");
    }

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=", StringComparison.Ordinal)).Split(';')[0];

    private static async Task<Running> StartAsync(Dictionary<string, string> env, EnvApp app, params string[] args)
    {
        var url = args[Array.IndexOf(args, "--urls") + 1];
        var process = CliRunner.StartProcess(env, ["dashboard", .. args, "--session-key-env", "GP_TEST_SESSION_KEY", "--manifest", app.Manifest, "--store", app.StorePath]);
        var running = new Running(process, url);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await running.WaitForAsync("Ctrl-C stops.");
        return running;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    /// <summary>A `glidepath dashboard` process and everything it wrote to stdout and stderr.</summary>
    private sealed class Running(Process process, string url)
    {
        private readonly StringBuilder _output = new();

        public string Url { get; } = url;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        public async Task WaitForAsync(string text)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline && !process.HasExited, $"glidepath dashboard did not start: {Output}");
                await Task.Delay(100);
            }
        }

        public async Task StopAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
