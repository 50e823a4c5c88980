using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Gateway;

/// <summary>Issue 21 item 4: `serve` logs one line per request with release, arm, status and trace id; JSON on request; no framework chatter.</summary>
public sealed class ServeLogTests
{
    [Fact]
    public async Task Serve_LogFormatJson_OneJsonLinePerRequestWithTraceReleaseArmAndStatus()
    {
        using var dir = TempDir.WithSample();
        var store = Path.Combine(dir.Path, ".glidepath", "g.db");
        Assert.Equal(0, (await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--store", store)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("deploy", "v1", "--env", "staging", "--manifest", dir.Path, "--store", store)).ExitCode);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var url = $"http://127.0.0.1:{port}";

        using var serve = CliRunner.StartProcess(null, "serve", "--env", "staging", "--urls", url, "--log-format", "json", "--manifest", dir.Path, "--store", store);
        var stdout = new StringBuilder();
        serve.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        serve.BeginOutputReadLine();
        string traceId;
        try
        {
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    using var ready = await http.GetAsync(url + "/healthz");
                    if (ready.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !serve.HasExited)
                {
                }

                Assert.True(DateTime.UtcNow < deadline && !serve.HasExited, "serve did not start: " + stdout);
                await Task.Delay(100);
            }

            using var content = new StringContent("""{"model":"support-agent","messages":[{"role":"user","content":"Where is my order?"}]}""", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(url + "/v1/chat/completions", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            traceId = response.Headers.GetValues("Glidepath-Trace").Single();

            // The line is written as the request finishes, through the console logger's queue: wait for it (bounded
            // generously, since a loaded machine may take a while; it normally arrives at once).
            for (var i = 0; i < 600 && !Contains(stdout, traceId); i++)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }

        var lines = Lines(stdout).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var request = Assert.Single(lines, l => l.GetProperty("Message").GetString()!.Contains(traceId, StringComparison.Ordinal));
        // An operator trial: no line had a Timestamp, though this page promised one. ISO 8601, UTC.
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", l.GetProperty("Timestamp").GetString()));
        var state = request.GetProperty("State");
        Assert.Equal("stable", state.GetProperty("Arm").GetString());
        Assert.Equal("200", state.GetProperty("Status").ToString());
        Assert.StartsWith("v1", state.GetProperty("Release").GetString(), StringComparison.Ordinal);
        // The sim makes no HTTP call: the line said "upstream_status (null)" (trial "steps", defect 4).
        Assert.EndsWith("upstream_status none", request.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.GetProperty("Category").GetString()!.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
    }

    private static bool Contains(StringBuilder sb, string text)
    {
        lock (sb)
        {
            return sb.ToString().Contains(text, StringComparison.Ordinal);
        }
    }

    private static string[] Lines(StringBuilder sb)
    {
        lock (sb)
        {
            return sb.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
    }
}
