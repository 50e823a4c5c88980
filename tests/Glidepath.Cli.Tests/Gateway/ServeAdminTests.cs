using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Gateway;

/// <summary>`serve` with the admin API and /metrics on their own ports, and its OIDC options checked before anything listens.</summary>
public sealed class ServeAdminTests
{
    [Fact]
    public async Task Serve_AdminAndMetricsUrls_EachPortAnswersItsOwnPaths_WithATokenFromTheCli()
    {
        using var dir = TempDir.WithSample();
        var store = Path.Combine(dir.Path, ".glidepath", "g.db");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--store", store)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("deploy", "v1", "--env", "staging", "--manifest", dir.Path, "--store", store)).ExitCode);
        var created = await CliRunner.RunAsync("tokens", "create", "--role", "viewer", "--env", "staging", "--name", "reader", "--format", "json", "--manifest", dir.Path, "--store", store);
        Assert.Equal(0, created.ExitCode);
        var token = System.Text.Json.JsonDocument.Parse(created.Stdout).RootElement.GetProperty("token").GetString();
        var (main, admin, metrics) = ($"http://127.0.0.1:{FreePort()}", $"http://127.0.0.1:{FreePort()}", FreePort());

        using var serve = CliRunner.StartProcess(null, "serve", "--env", "staging", "--urls", main, "--admin-urls", admin, "--metrics-urls", metrics.ToString(System.Globalization.CultureInfo.InvariantCulture), "--manifest", dir.Path, "--store", store);
        var output = new StringBuilder();
        serve.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        serve.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient();
            await WaitReadyAsync(http, main, serve, output);

            using var request = new HttpRequestMessage(HttpMethod.Get, admin + "/admin/v1/status");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var status = await http.SendAsync(request);
            using var anonymous = await http.GetAsync(admin + "/admin/v1/status");
            using var adminOnMain = await http.GetAsync(main + "/admin/v1/status");
            using var scrape = await http.GetAsync($"http://127.0.0.1:{metrics}/metrics");
            using var metricsOnMain = await http.GetAsync(main + "/metrics");

            Assert.Equal(
                (HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.NotFound),
                (status.StatusCode, anonymous.StatusCode, adminOnMain.StatusCode, scrape.StatusCode, metricsOnMain.StatusCode));
            Assert.Contains("\"environments\"", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("--oidc-issuer", "https://login.example.test/t/v2.0")]
    [InlineData("--oidc-audience", "api://glidepath")]
    public async Task Serve_IncompleteOidcSettings_ExitTwoBeforeListening(string option, string value)
    {
        await using var app = await EnvApp.CreateAsync(0);

        var (code, _, stderr) = await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0", option, value);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("oidc", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Glidepath.Owner=owner")]
    [InlineData("Glidepath.Owner=root@production")]
    [InlineData("Glidepath.Owner=owner@nowhere")]
    public async Task Serve_BadOidcRoleMapping_ExitTwo(string mapping)
    {
        await using var app = await EnvApp.CreateAsync(0);
        var key = Path.Combine(Path.GetTempPath(), $"gp-oidc-{Guid.NewGuid():N}.pem");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            await File.WriteAllTextAsync(key, rsa.ExportSubjectPublicKeyInfoPem());
        }

        try
        {
            var (code, _, stderr) = await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0",
                "--oidc-issuer", "https://login.example.test/t/v2.0", "--oidc-audience", "api://glidepath", "--oidc-signing-key", key, "--oidc-role", mapping);

            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("--oidc-role", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(key);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitReadyAsync(HttpClient http, string url, System.Diagnostics.Process serve, StringBuilder output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(url + "/healthz");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !serve.HasExited)
            {
            }

            Assert.True(DateTime.UtcNow < deadline && !serve.HasExited, "serve did not start: " + output);
            await Task.Delay(100);
        }
    }
}
