using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Glidepath.Bench.Gateway;

/// <summary>
/// Issue 19, side by side in one run against one static upstream (nginx <c>return 200</c>): direct, through nginx
/// <c>proxy_pass</c>, through <c>glidepath serve --no-pass-through</c> (the translating path) and through
/// <c>glidepath serve</c> (the pass-through path), every gateway feature on (routing, release applied, traces and
/// aggregates written to SQLite, metrics). Reports c=1 p50 added over direct, c=32 throughput (wrk) relative to
/// nginx, streaming time to first byte added, and the gateways' CPU µs per request. With another build of the CLI
/// (<c>--cli NAME=PATH</c>) a third gateway runs the pass-through path on that build, measured in the same run. The c=32
/// phase runs <see cref="Rounds"/> rounds over the targets in turn and reports, per target, the median of its rounds.
/// The gateways' provider has <c>max_concurrency: 64</c> (<see cref="Slots"/>): nginx's proxy has no such limit, and at
/// the default 16 the c=32 phase would queue half its callers for a slot; one more gateway on the default 16 is
/// measured beside it, so the figure with the default stays in every run.
/// </summary>
internal static partial class PassThroughBench
{
    private const string Caller = """{"model":"support-agent","messages":[{"role":"user","content":"Can I return shoes after 45 days?"}]}""";
    private const string CallerStream = """{"model":"support-agent","stream":true,"messages":[{"role":"user","content":"Can I return shoes after 45 days?"}]}""";
    /// <summary>The gateways' <c>max_concurrency</c>: above the bench's 32 connections, so the limit is on but never binds.</summary>
    private const int Slots = 64;

    /// <summary>The c=32 phase's rounds over the targets (each target <c>seconds</c> of wrk per round).</summary>
    private const int Rounds = 3;

    private const string Direct = """{"model":"mock","messages":[{"role":"system","content":"You are the customer support assistant."},{"role":"user","content":"Can I return shoes after 45 days?"}]}""";

    public static async Task RunAsync(Func<int> freePort, Func<string, string, string, string, int?, Task<GatewayProcess>> startGateway, string cli, (string Name, string Path)? other, int sequential, int seconds)
    {
        using var nginx = await StaticUpstream.StartAsync(freePort);
        await StaticUpstream.EnsureInstalledAsync("wrk", "wrk");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };
        var load = new LoadGenerator(http);
        const string path = "/v1/chat/completions";
        var rows = new List<string>();

        // Whole answers: both gateways on the upstream that answers JSON.
        await using (var translating = await startGateway(nginx.WholeUrl, "translating", "--no-pass-through", cli, Slots))
        await using (var passing = await startGateway(nginx.WholeUrl, "pass-through", "", cli, Slots))
        await using (var defaultSlots = await startGateway(nginx.WholeUrl, "pass-through-16", "", cli, null))
        await using (var otherBuild = other is { } o ? await startGateway(nginx.WholeUrl, "pass-through-" + o.Name, "", o.Path, Slots) : null)
        {
            (string Name, string Url, string Body, GatewayProcess? Process)[] targets =
            [
                ("direct", nginx.WholeUrl + path, Direct, null),
                ("nginx proxy_pass", nginx.ProxyUrl + path, Direct, null),
                ("glidepath, translating", translating.Url + path, Caller, translating),
                ("glidepath, pass-through", passing.Url + path, Caller, passing),
                ("glidepath, pass-through (default 16 slots)", defaultSlots.Url + path, Caller, defaultSlots),
                .. otherBuild is null ? [] : new[] { ($"glidepath, pass-through ({other!.Value.Name})", otherBuild.Url + path, Caller, (GatewayProcess?)otherBuild) },
            ];
            // Fresh processes first: the first 2,000 requests one at a time, as a gateway just started meets them.
            Console.Error.WriteLine("warming up…");
            var cold = new double[targets.Length];
            for (var i = 0; i < targets.Length; i++)
            {
                cold[i] = LoadGenerator.Percentile(await load.SequentialAsync(targets[i].Url, targets[i].Body, 2000), 50);
                await SettleAsync(targets[i].Url, targets[i].Body, targets[i].Process, seconds);
                await load.SequentialAsync(targets[i].Url, targets[i].Body, 2000);
            }

            // Concurrency 1: alternate blocks so drift (other load on the machine) hits every target alike.
            Console.Error.WriteLine($"concurrency 1: {sequential} requests per target…");
            var c1 = targets.Select(_ => new List<double>()).ToArray();
            for (var block = 0; block < 10; block++)
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    c1[i].AddRange(await load.SequentialAsync(targets[i].Url, targets[i].Body, sequential / 10));
                }
            }

            // Concurrency 32: rounds in turn over the targets, as the c=1 blocks, so a stretch of other load on the machine
            // falls on every target alike; requests/s is each target's median over the rounds, "vs nginx" the median of each round's ratio.
            Console.Error.WriteLine($"concurrency 32: {Rounds} rounds of wrk for {seconds} s per target…");
            var rounds = targets.Select(_ => new List<double>()).ToArray();
            var cpu = new TimeSpan[targets.Length];
            var jitCpu = new TimeSpan?[targets.Length];
            var served = new long[targets.Length];
            for (var round = 0; round < Rounds; round++)
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    var gateway = targets[i].Process;
                    var (before, jitBefore) = (gateway?.Cpu() ?? TimeSpan.Zero, gateway?.JitCpu());
                    var (rps, requests) = await WrkAsync(targets[i].Url, targets[i].Body, seconds);
                    rounds[i].Add(rps);
                    served[i] += requests;
                    if (gateway is not null)
                    {
                        cpu[i] += gateway.Cpu() - before;
                        jitCpu[i] = gateway.JitCpu() - jitBefore + (jitCpu[i] ?? TimeSpan.Zero);
                    }
                }
            }

            var c32 = new (double Rps, double OfNginx, double CpuUs)[targets.Length];
            for (var i = 0; i < targets.Length; i++)
            {
                var ofNginx = LoadGenerator.Percentile([.. rounds[i].Select((rps, round) => rps / rounds[1][round])], 50);
                if (targets[i].Process is null)
                {
                    c32[i] = (LoadGenerator.Percentile([.. rounds[i]], 50), ofNginx, double.NaN);
                    continue;
                }

                // The unfavourable check on the settling above: how much of the measured CPU was still the compiler's.
                Console.Error.WriteLine(jitCpu[i] is { } j
                    ? StaticUpstream.Invariant($"  {targets[i].Name}: tiered compiler {j / cpu[i]:P1} of the gateway's CPU during c=32; requests/s by round: {string.Join(", ", rounds[i].Select(r => r.ToString("0", CultureInfo.InvariantCulture)))}")
                    : $"  {targets[i].Name}: the tiered compiler's CPU cannot be read here (/proc)");
                c32[i] = (LoadGenerator.Percentile([.. rounds[i]], 50), ofNginx, cpu[i].TotalMicroseconds / Math.Max(1, served[i]));
            }

            var directP50 = LoadGenerator.Percentile([.. c1[0]], 50);
            rows.Add("| path | c=1 p50 µs | added p50 µs | c=1 p99 µs | c=32 req/s | vs nginx | CPU µs/req (c=32) | first 2,000 after start: p50 µs |");
            rows.Add("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (var i = 0; i < targets.Length; i++)
            {
                var p50 = LoadGenerator.Percentile([.. c1[i]], 50);
                rows.Add(StaticUpstream.Invariant($"| {targets[i].Name} | {p50:0} | {(i == 0 ? "" : $"+{p50 - directP50:0}")} | {LoadGenerator.Percentile([.. c1[i]], 99):0} | {c32[i].Rps:0} | {c32[i].OfNginx:P0} | {(double.IsNaN(c32[i].CpuUs) ? "" : c32[i].CpuUs.ToString("0", CultureInfo.InvariantCulture))} | {cold[i]:0} |"));
            }

            rows.Add("");
            for (var i = 3; i < targets.Length; i++)
            {
                var passAdded = LoadGenerator.Percentile([.. c1[i]], 50) - directP50;
                rows.Add(StaticUpstream.Invariant($"{targets[i].Name["glidepath, ".Length..]} c=1 added p50 +{passAdded:0} µs (target ≤ +150): {(passAdded <= 150 ? "met" : "MISSED")}; c=32 {c32[i].OfNginx:P0} of nginx (target ≥ 50%): {(c32[i].OfNginx >= 0.5 ? "met" : "MISSED")}"));
            }
        }

        rows.ForEach(Console.WriteLine);
        rows.Clear();

        // Streams: both gateways again, now on the upstream that answers server-sent events.
        await using (var translating = await startGateway(nginx.StreamUrl, "translating", "--no-pass-through", cli, Slots))
        await using (var passing = await startGateway(nginx.StreamUrl, "pass-through", "", cli, Slots))
        await using (var otherBuild = other is { } o ? await startGateway(nginx.StreamUrl, "pass-through-" + o.Name, "", o.Path, Slots) : null)
        {
            (string Name, string Url, string Body, GatewayProcess? Process)[] targets =
            [
                ("direct", nginx.StreamUrl + path, Direct, null),
                ("nginx proxy_pass", nginx.StreamProxyUrl + path, Direct, null),
                ("glidepath, translating", translating.Url + path, CallerStream, translating),
                ("glidepath, pass-through", passing.Url + path, CallerStream, passing),
                .. otherBuild is null ? [] : new[] { ($"glidepath, pass-through ({other!.Value.Name})", otherBuild.Url + path, CallerStream, (GatewayProcess?)otherBuild) },
            ];
            foreach (var t in targets)
            {
                await SettleAsync(t.Url, t.Body, t.Process, seconds);
                await TtfbAsync(http, t.Url, t.Body, 1000);
            }

            Console.Error.WriteLine($"streaming, concurrency 1: {sequential} requests per target…");
            var ttfb = targets.Select(_ => new List<double>()).ToArray();
            for (var block = 0; block < 10; block++)
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    ttfb[i].AddRange(await TtfbAsync(http, targets[i].Url, targets[i].Body, sequential / 10));
                }
            }

            var direct = LoadGenerator.Percentile([.. ttfb[0]], 50);
            rows.Add("");
            rows.Add("| streaming (c=1) | time to first byte p50 µs | added µs | p99 µs |");
            rows.Add("|---|---:|---:|---:|");
            for (var i = 0; i < targets.Length; i++)
            {
                var p50 = LoadGenerator.Percentile([.. ttfb[i]], 50);
                rows.Add(StaticUpstream.Invariant($"| {targets[i].Name} | {p50:0} | {(i == 0 ? "" : $"+{p50 - direct:0}")} | {LoadGenerator.Percentile([.. ttfb[i]], 99):0} |"));
            }

            rows.Add("");
            for (var i = 3; i < targets.Length; i++)
            {
                var added = LoadGenerator.Percentile([.. ttfb[i]], 50) - direct;
                rows.Add(StaticUpstream.Invariant($"{targets[i].Name["glidepath, ".Length..]} streaming time to first byte added +{added:0} µs (target ≤ +200): {(added <= 200 ? "met" : "MISSED")}"));
            }
        }

        Console.WriteLine($"(streams) Issue 19 pass-through bench ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores; {sequential} requests per target at c=1, wrk -c32 {seconds} s per target in each of {Rounds} rounds (each target's median); the gateways' max_concurrency {Slots} unless the row says otherwise)");
        Console.WriteLine();
        rows.ForEach(Console.WriteLine);
    }

    /// <summary>
    /// Load at c=32 until the gateway has settled: at least <paramref name="seconds"/>, then 2 s windows until two in a row
    /// in which the runtime's tiered compiler took under 2% of the gateway's CPU (its hot code recompiled), at most 120 s:
    /// the compiler's own thread, read directly, rather than CPU per request levelling off. The c=32 phase reports the
    /// compiler's share again, so a figure taken while it was still busy shows. Targets without a gateway process need none.
    /// </summary>
    private static async Task SettleAsync(string url, string body, GatewayProcess? gateway, int seconds)
    {
        if (gateway is null)
        {
            return;
        }

        await WrkAsync(url, body, seconds);
        if (gateway.JitCpu() is null)
        {
            Console.Error.WriteLine($"  {url}: the tiered compiler's CPU cannot be read here (/proc); measuring after {seconds} s of load");
            return;
        }

        var quiet = 0;
        for (var waited = seconds; waited < 120; waited += 2)
        {
            var (before, jitBefore) = (gateway.Cpu(), gateway.JitCpu()!.Value);
            var (_, requests) = await WrkAsync(url, body, 2);
            var (cpu, jit) = (gateway.Cpu() - before, gateway.JitCpu()!.Value - jitBefore);
            quiet = cpu > TimeSpan.Zero && jit <= 0.02 * cpu ? quiet + 1 : 0;
            if (quiet == 2)
            {
                Console.Error.WriteLine(StaticUpstream.Invariant($"  {url}: settled after {waited + 2} s ({cpu.TotalMicroseconds / Math.Max(1, requests):0} µs CPU per request, tiered compiler {jit / cpu:P1} of it)"));
                return;
            }
        }

        Console.Error.WriteLine($"  {url}: the tiered compiler still busy after {Math.Max(120, seconds)} s; measuring anyway");
    }

    /// <summary>Time from sending a streamed request to the first byte of its body, per request (µs).</summary>
    private static async Task<double[]> TtfbAsync(HttpClient http, string url, string body, int count)
    {
        var result = new double[count];
        var one = new byte[1];
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            var start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync();
            if (await stream.ReadAsync(one) == 0)
            {
                throw new InvalidOperationException($"{url} answered an empty stream");
            }

            result[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            await stream.CopyToAsync(Stream.Null);
        }

        return result;
    }

    /// <summary>wrk with 32 connections on 2 threads, POSTing <paramref name="body"/>: requests per second and the total.</summary>
    private static async Task<(double Rps, long Requests)> WrkAsync(string url, string body, int seconds)
    {
        var script = Path.Combine(Path.GetTempPath(), "gp-wrk-" + Guid.NewGuid().ToString("N")[..8] + ".lua");
        await File.WriteAllTextAsync(script, $"wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [[{body}]]\n");
        try
        {
            using var wrk = Process.Start(new ProcessStartInfo("wrk", ["-t2", "-c32", $"-d{seconds}s", "-s", script, url]) { RedirectStandardOutput = true })!;
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var total = long.Parse(TotalRequests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            if (Non2xx().Match(output) is { Success: true } errors)
            {
                throw new InvalidOperationException($"{url}: {errors.Value} under wrk");
            }

            return (rps, total);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"([0-9]+) requests in")]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: [0-9]+")]
    private static partial Regex Non2xx();
}
