using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Glidepath.Cli;

namespace Glidepath.Bench.Gateway;

/// <summary>The bench's processes and files: the sample app copied and deployed on a chosen upstream, <c>glidepath serve</c> started and waited for, ports, CPU and RSS of a child.</summary>
internal static class BenchHost
{
    public static async Task<long> RevisionAsync(HttpClient http, string url)
    {
        var text = await http.GetStringAsync(url + "/readyz");
        var match = System.Text.RegularExpressions.Regex.Match(text, "\"revision\":([0-9]+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    public static async Task WaitRevisionAsync(HttpClient http, string url, long revision)
    {
        var sw = Stopwatch.StartNew();
        while (await RevisionAsync(http, url) < revision)
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"the gateway did not reach revision {revision}");
            }

            await Task.Delay(20);
        }
    }

    public static long RssKb(Process p)
    {
        foreach (var line in File.ReadLines($"/proc/{p.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("no VmRSS in /proc status");
    }

    public static TimeSpan Cpu(Process p)
    {
        p.Refresh();
        return p.TotalProcessorTime;
    }

    public static async Task WaitReadyAsync(HttpClient http, string url, Process gateway)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (gateway.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with {gateway.ExitCode}: {await gateway.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var r = await http.GetAsync(url + "/readyz");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the gateway did not become ready within 60 s");
    }

    public static string CliDll() =>
        Path.Combine(RepoRoot(), "src", "Glidepath.Cli", "bin", Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!), "net10.0", "Glidepath.Cli.dll");

    /// The sample app's manifest with its release on the openai provider (model "mock") at `upstream`; with
    /// `maxConcurrency`, the provider's `max_concurrency` (else its default, 16 calls in flight).
    public static void OnOpenAi(string manifest, string upstream, int? maxConcurrency = null) => File.WriteAllText(manifest, File.ReadAllText(manifest)
        .Replace("provider: sim ", "provider: openai ", StringComparison.Ordinal)
        .Replace("name: sim-support-1", "name: mock", StringComparison.Ordinal)
        .Replace("openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }",
            maxConcurrency is { } slots ? $"openai: {{ base_url: {upstream}/v1, max_concurrency: {slots} }}" : $"openai: {{ base_url: {upstream}/v1 }}", StringComparison.Ordinal));

    /// A `glidepath serve` of its own copy of the sample app, its release on the openai provider at `upstream`.
    public static Task<GatewayProcess> StartGatewayAsync(string upstream, string name, string flag) => StartGatewayAsync(upstream, name, flag, CliDll());

    /// <summary>
    /// The same with another build of the CLI: a <c>Glidepath.Cli.dll</c> runs on the shared runtime, anything else is
    /// a build's own executable (self-contained or Native AOT).
    /// </summary>
    public static async Task<GatewayProcess> StartGatewayAsync(string upstream, string name, string flag, string cli, int? maxConcurrency = null)
    {
        var at = Path.Combine(Path.GetTempPath(), $"gp-bench-{name}-" + Guid.NewGuid().ToString("N")[..8]);
        CopySample(at);
        var path = Path.Combine(at, "glidepath.yaml");
        OnOpenAi(path, upstream, maxConcurrency);
        var onRuntime = cli.EndsWith(".dll", StringComparison.Ordinal);
        var own = Path.GetFullPath(cli) == Path.GetFullPath(CliDll());
        foreach (var command in new[] { new[] { "release", "create", "-m", "bench" }, ["deploy", "v1", "--env", "staging"] })
        {
            // Another build sets up its own store: an older one cannot read the schema a newer build would create.
            string[] args = ["--manifest", path, .. command];
            var err = new StringWriter();
            var code = own
                ? await CliApp.RunAsync(args, TextWriter.Null, err, isTerminal: false, CancellationToken.None)
                : await RunAsync(onRuntime ? "dotnet" : cli, onRuntime ? [cli, .. args] : args, err);
            if (code != 0)
            {
                throw new InvalidOperationException($"glidepath {string.Join(' ', command)} failed: {err}");
            }
        }

        var url = $"http://127.0.0.1:{FreePort()}";
        string[] serve = ["--manifest", path, "serve", "--env", "staging", "--urls", url, "--format", "json", .. flag.Length > 0 ? [flag] : Array.Empty<string>()];
        var process = Process.Start(new ProcessStartInfo(onRuntime ? "dotnet" : cli, onRuntime ? [cli, .. serve] : serve) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var ready = new HttpClient();
        await WaitReadyAsync(ready, url, process);
        return new GatewayProcess(process, url, at);
    }

    private static async Task<int> RunAsync(string file, string[] args, StringWriter err)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        err.Write(await process.StandardError.ReadToEndAsync());
        await stdout;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepoRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Glidepath.slnx")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("run from inside the repository");
        }

        return root;
    }

    public static void CopySample(string target)
    {
        var sample = Path.Combine(RepoRoot(), "samples", "support-agent");
        foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.glidepath/", StringComparison.Ordinal)))
        {
            var to = Path.Combine(target, Path.GetRelativePath(sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    public static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
