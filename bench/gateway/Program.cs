// The gateway's added latency over calling the mock upstream directly, with one load generator in one run:
// closed-loop at concurrency 1 and open-loop at a fixed 1,000 req/s; p50/p99 deltas and the gateway
// process's CPU time per request. The gateway is a real `glidepath serve` child process with every feature
// on (routing, telemetry to SQLite, metrics); the upstream is a local mock that answers at once.
//
//   dotnet run -c Release --project bench/gateway [-- --seconds 5 --sequential 3000]
//
// With --memory the run is instead the memory check: the gateway's resident set after 10,000 and after 100,000
// requests (16 at a time), which should not grow with traffic.
//
// With --shadow [--shadow-rate 1] only the shadow phase runs: blocks at concurrency 1 alternate between the environment
// with a shadow (at rate 1 every request is mirrored to a second release on the same mock) and without one, and the caller's latency of
// both is compared (issue 20: the p50 latency a shadow adds).
//
// With --pass-through the run is issue 19's side-by-side instead: one static upstream (nginx `return 200`, installed with
// apt-get when missing) called directly, through nginx proxy_pass, through `glidepath serve --no-pass-through` (translating)
// and through `glidepath serve` (pass-through): c=1 p50 added, c=32 throughput with wrk relative to nginx, streaming time
// to first byte added, CPU µs per request (PassThroughBench.cs).
//
//   dotnet run -c Release --project bench/gateway -- --pass-through [--sequential 2000 --seconds 5] [--cli NAME=PATH]
//
// (--cli adds a third gateway on the pass-through path running another build: a Glidepath.Cli.dll, or a self-contained
// or Native AOT build's Glidepath.Cli executable.)
//
// With --baseline-cli PATH/Glidepath.Cli.dll (another build, e.g. of an earlier commit) a second gateway runs that
// build on a copy of the same app and store, and a last phase compares the two builds side by side in this run.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Glidepath.Bench.Gateway;
using Glidepath.Cli;

var seconds = Arg("--seconds", 5);
var sequential = Arg("--sequential", 3000);
var rate = Arg("--rate", 1000);
var baselineCli = ArgText("--baseline-cli");
var memoryOnly = args.Contains("--memory");
var shadowRate = ArgText("--shadow-rate") ?? "1";

if (args.Contains("--pass-through"))
{
    // --cli NAME=PATH, or --cli=NAME=PATH as the eval bench takes it.
    var other = (ArgText("--cli") ?? args.FirstOrDefault(a => a.StartsWith("--cli=", StringComparison.Ordinal))?["--cli=".Length..]) is { } named
        ? named.Split('=', 2) is [var name, var cliPath] && File.Exists(cliPath) ? (name, cliPath) : throw new ArgumentException($"--cli {named}: expected NAME=PATH of an existing Glidepath.Cli.dll or a build's Glidepath.Cli executable")
        : ((string, string)?)null;
    await PassThroughBench.RunAsync(BenchHost.FreePort, BenchHost.StartGatewayAsync, BenchHost.CliDll(), other, Arg("--sequential", 2000), seconds);
    return;
}

if (args.Any(a => a == "--cli" || a.StartsWith("--cli=", StringComparison.Ordinal)))
{
    throw new ArgumentException("--cli adds a build to --pass-through only; the default bench compares builds with --baseline-cli PATH");
}

await using var mock = await MockUpstream.StartAsync();
var dir = Path.Combine(Path.GetTempPath(), "gp-bench-gw-" + Guid.NewGuid().ToString("N")[..8]);
BenchHost.CopySample(dir);
var manifest = Path.Combine(dir, "glidepath.yaml");
BenchHost.OnOpenAi(manifest, mock.Url);
await Cli("release", "create", "-m", "bench");
await Cli("deploy", "v1", "--env", "staging");
// A route probe needs an admin token of the environment, checked through the admin API (ProbeAccess).
var probeToken = await ProbeTokenAsync();
var baselineDir = dir + "-baseline";
if (baselineCli is not null)
{
    BenchHost.CopyTree(dir, baselineDir); // before any gateway has the store open
}

var port = BenchHost.FreePort();
var gatewayUrl = $"http://127.0.0.1:{port}";
// The CLI from its own build output (its deps.json, not the bench's), built with the same configuration.
var cliDll = BenchHost.CliDll();
using var gateway = Process.Start(new ProcessStartInfo("dotnet", [cliDll, "--manifest", manifest, "serve", "--env", "staging", "--urls", gatewayUrl, "--admin-urls", $"http://127.0.0.1:{BenchHost.FreePort()}", "--format", "json"])
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
})!;
Process? baseline = null;
var baselineUrl = $"http://127.0.0.1:{BenchHost.FreePort()}";
if (baselineCli is not null)
{
    baseline = Process.Start(new ProcessStartInfo("dotnet", [baselineCli, "--manifest", Path.Combine(baselineDir, "glidepath.yaml"), "serve", "--env", "staging", "--urls", baselineUrl, "--admin-urls", $"http://127.0.0.1:{BenchHost.FreePort()}", "--format", "json"])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;
}

try
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = TimeSpan.FromSeconds(30) };
    await BenchHost.WaitReadyAsync(http, gatewayUrl, gateway);
    var load = new LoadGenerator(http);
    var direct = (Url: mock.Url + "/v1/chat/completions", Body: """{"model":"mock","messages":[{"role":"system","content":"You are the customer support assistant."},{"role":"user","content":"Can I return shoes after 45 days?"}]}""");
    var viaGateway = (Url: gatewayUrl + "/v1/chat/completions", Body: """{"model":"support-agent","messages":[{"role":"user","content":"Can I return shoes after 45 days?"}]}""");

    if (memoryOnly)
    {
        var rss = new List<(int Requests, long Kb)>();
        var sent = 0;
        foreach (var upTo in new[] { 1_000, 10_000, 50_000, 100_000 })
        {
            var errors = 0;
            await Parallel.ForAsync(sent, upTo, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
            {
                using var content = new StringContent(viaGateway.Body, System.Text.Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(viaGateway.Url, content, ct);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            });
            sent = upTo;
            rss.Add((upTo, BenchHost.RssKb(gateway)));
            Console.Error.WriteLine($"{upTo} requests: RSS {rss[^1].Kb / 1024.0:0.0} MiB, {errors} errors");
        }

        Console.WriteLine($"Gateway resident set by requests served (16 concurrent, full path, traces to SQLite; {DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();
        Console.WriteLine("| requests served | RSS MiB | vs 10,000 |");
        Console.WriteLine("|---:|---:|---:|");
        var at10k = rss.Single(r => r.Requests == 10_000).Kb;
        foreach (var (requests, kb) in rss)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {requests:N0} | {kb / 1024.0:0.0} | {(double)kb / at10k:0.00}× |"));
        }

        var ratio = (double)rss[^1].Kb / at10k;
        Console.WriteLine(ratio <= 1.2 ? $"\ntarget met: RSS after 100,000 is {ratio:0.00}× RSS after 10,000 (≤ 1.2×)" : $"\nTARGET MISSED: RSS after 100,000 is {ratio:0.00}× RSS after 10,000 (target ≤ 1.2×)");
        return;
    }

    Console.Error.WriteLine("warming up…");
    await load.SequentialAsync(direct.Url, direct.Body, 2000);
    await load.SequentialAsync(viaGateway.Url, viaGateway.Body, 2000);

    if (args.Contains("--shadow"))
    {
        await ShadowPhaseAsync(http, load, viaGateway.Url, viaGateway.Body);
        return;
    }

    // Concurrency 1: alternate blocks so drift (thermal, other load) hits both sides alike.
    Console.Error.WriteLine($"concurrency 1: {sequential} requests per side…");
    var seqDirect = new List<double>();
    var seqGateway = new List<double>();
    var cpuBefore = BenchHost.Cpu(gateway);
    for (var block = 0; block < 10; block++)
    {
        seqDirect.AddRange(await load.SequentialAsync(direct.Url, direct.Body, sequential / 10));
        seqGateway.AddRange(await load.SequentialAsync(viaGateway.Url, viaGateway.Body, sequential / 10));
    }

    var seqCpu = (BenchHost.Cpu(gateway) - cpuBefore).TotalMicroseconds / seqGateway.Count;

    // The same at concurrency 1 with Glidepath-Probe: route: parse + route + headers, no provider pipeline, no trace.
    var routeOnly = new List<double>();
    var routeDirect = new List<double>();
    cpuBefore = BenchHost.Cpu(gateway);
    for (var block = 0; block < 10; block++)
    {
        routeDirect.AddRange(await load.SequentialAsync(direct.Url, direct.Body, sequential / 10));
        routeOnly.AddRange(await load.SequentialAsync(viaGateway.Url, viaGateway.Body, sequential / 10, ("Glidepath-Probe", "route"), ("Glidepath-Admin-Token", probeToken)));
    }

    var routeCpu = (BenchHost.Cpu(gateway) - cpuBefore).TotalMicroseconds / routeOnly.Count;

    Console.Error.WriteLine($"open loop at {rate} req/s for {seconds} s per side…");
    var (rateDirect, directErrors) = await load.FixedRateAsync(direct.Url, direct.Body, rate, TimeSpan.FromSeconds(seconds));
    cpuBefore = BenchHost.Cpu(gateway);
    var (rateGateway, gatewayErrors) = await load.FixedRateAsync(viaGateway.Url, viaGateway.Body, rate, TimeSpan.FromSeconds(seconds));
    var rateCpu = (BenchHost.Cpu(gateway) - cpuBefore).TotalMicroseconds / rateGateway.Length;

    Console.WriteLine($"Gateway overhead over the mock upstream ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}); latencies in µs");
    Console.WriteLine();
    Console.WriteLine("| load | requests/side | direct p50 | gateway p50 | Δ p50 | direct p99 | gateway p99 | Δ p99 | gateway CPU µs/req | errors |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Row("concurrency 1", [.. seqDirect], [.. seqGateway], seqCpu, 0);
    Row($"{rate} req/s open loop", rateDirect, rateGateway, rateCpu, directErrors + gatewayErrors);
    Row("concurrency 1, route-only probe", [.. routeDirect], [.. routeOnly], routeCpu, 0);

    if (baseline is not null)
    {
        // Before and after in one run: the same requests to both builds, blocks alternating so drift hits both alike.
        await BenchHost.WaitReadyAsync(http, baselineUrl, baseline);
        var viaBaseline = baselineUrl + "/v1/chat/completions";
        // As many requests as this build has served in the phases above, so both have finished tiered JIT compilation.
        await load.SequentialAsync(viaBaseline, viaGateway.Body, 2000 + (3 * sequential));
        await load.FixedRateAsync(viaBaseline, viaGateway.Body, rate, TimeSpan.FromSeconds(seconds));
        var seqThis = new List<double>();
        var seqBase = new List<double>();
        TimeSpan cpuThis = TimeSpan.Zero, cpuBase = TimeSpan.Zero;
        for (var block = 0; block < 20; block++)
        {
            var c0 = BenchHost.Cpu(gateway);
            seqThis.AddRange(await load.SequentialAsync(viaGateway.Url, viaGateway.Body, sequential / 10));
            cpuThis += BenchHost.Cpu(gateway) - c0;
            var b0 = BenchHost.Cpu(baseline);
            seqBase.AddRange(await load.SequentialAsync(viaBaseline, viaGateway.Body, sequential / 10));
            cpuBase += BenchHost.Cpu(baseline) - b0;
        }

        var (openBase, openBaseErrors) = await load.FixedRateAsync(viaBaseline, viaGateway.Body, rate, TimeSpan.FromSeconds(seconds));
        var (openThis, openThisErrors) = await load.FixedRateAsync(viaGateway.Url, viaGateway.Body, rate, TimeSpan.FromSeconds(seconds));
        double P(IReadOnlyList<double> v, double q) => LoadGenerator.Percentile([.. v], q);
        Console.WriteLine();
        Console.WriteLine($"This build against the baseline build ({baselineCli}), same run, full gateway path; latencies in µs");
        Console.WriteLine();
        Console.WriteLine("| build | c=1 requests | c=1 p50 | c=1 p99 | c=1 CPU µs/req | {rate} req/s p50 | {rate} req/s p99 | errors |".Replace("{rate}", rate.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, seq, cpu, open, errors) in new[] { ("baseline", seqBase, cpuBase, openBase, openBaseErrors), ("this", seqThis, cpuThis, openThis, openThisErrors) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {seq.Count} | {P(seq, 50):0} | {P(seq, 99):0} | {cpu.TotalMicroseconds / seq.Count:0} | {P(open, 50):0} | {P(open, 99):0} | {errors} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\nratio this/baseline: c=1 p50 {P(seqThis, 50) / P(seqBase, 50):0.00}, c=1 CPU {cpuThis.TotalMicroseconds / seqThis.Count / (cpuBase.TotalMicroseconds / seqBase.Count):0.00}, open-loop p50 {P(openThis, 50) / P(openBase, 50):0.00}"));
    }
}
finally
{
    gateway.Kill(entireProcessTree: true);
    await gateway.WaitForExitAsync();
    if (baseline is not null)
    {
        baseline.Kill(entireProcessTree: true);
        await baseline.WaitForExitAsync();
        Directory.Delete(baselineDir, recursive: true);
    }

    Directory.Delete(dir, recursive: true);
}

// The caller's latency with a shadow on (at rate 1 every request is mirrored after it was answered) and off, in alternating
// blocks; the gateway's CPU per request on each side includes the mirrored calls it made in the background.
async Task ShadowPhaseAsync(HttpClient http, LoadGenerator load, string url, string body)
{
    File.AppendAllText(Path.Combine(dir, "prompts", "system.md"), "\n- The shadow candidate's extra line.\n");
    await Cli("release", "create", "-m", "shadow candidate");
    Console.Error.WriteLine($"shadow on and off, concurrency 1: {sequential} requests per side…");
    var on = new List<double>();
    var off = new List<double>();
    TimeSpan cpuOn = TimeSpan.Zero, cpuOff = TimeSpan.Zero;
    for (var block = 0; block < 20; block++)
    {
        var revision = await BenchHost.RevisionAsync(http, gatewayUrl);
        await Cli("shadow", "start", "v2", "--env", "staging", "--rate", shadowRate);
        await BenchHost.WaitRevisionAsync(http, gatewayUrl, revision + 1);
        var c0 = BenchHost.Cpu(gateway);
        on.AddRange(await load.SequentialAsync(url, body, sequential / 20));
        cpuOn += BenchHost.Cpu(gateway) - c0;
        await Cli("shadow", "stop", "--env", "staging");
        await BenchHost.WaitRevisionAsync(http, gatewayUrl, revision + 2);
        var c1 = BenchHost.Cpu(gateway);
        off.AddRange(await load.SequentialAsync(url, body, sequential / 20));
        cpuOff += BenchHost.Cpu(gateway) - c1;
    }

    double P(List<double> v, double q) => LoadGenerator.Percentile([.. v], q);
    Console.WriteLine($"Caller latency through the gateway with a shadow at rate {shadowRate} and without ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}); latencies in µs");
    Console.WriteLine();
    Console.WriteLine("| shadow | requests | p50 | p99 | gateway CPU µs/req |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| off | {off.Count} | {P(off, 50):0} | {P(off, 99):0} | {cpuOff.TotalMicroseconds / off.Count:0} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| on, rate {shadowRate} | {on.Count} | {P(on, 50):0} | {P(on, 99):0} | {cpuOn.TotalMicroseconds / on.Count:0} |"));
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Δ p50 {P(on, 50) - P(off, 50):+0;-0} µs, Δ p99 {P(on, 99) - P(off, 99):+0;-0} µs"));
}

static void Row(string name, double[] direct, double[] gateway, double cpu, int errors)
{
    double P(double[] v, double p) => LoadGenerator.Percentile(v, p);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {gateway.Length} | {P(direct, 50):0} | {P(gateway, 50):0} | +{P(gateway, 50) - P(direct, 50):0} | {P(direct, 99):0} | {P(gateway, 99):0} | +{P(gateway, 99) - P(direct, 99):0} | {cpu:0} | {errors} |"));
}

// Runs a glidepath command on the bench's app; its standard output.
async Task<string> Cli(params string[] args)
{
    var (output, err) = (new StringWriter(), new StringWriter());
    if (await CliApp.RunAsync(["--manifest", manifest, .. args], output, err, isTerminal: false, CancellationToken.None) != 0)
    {
        throw new InvalidOperationException($"glidepath {string.Join(' ', args)} failed: {err}");
    }

    return output.ToString();
}

async Task<string> ProbeTokenAsync() => System.Text.Json.JsonDocument.Parse(
    await Cli("tokens", "create", "--role", "admin", "--env", "staging", "--name", "bench-probe", "--format", "json")).RootElement.GetProperty("token").GetString()!;

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
