using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Cli;

// The eval runner's throughput against the sim: N cases × 1 trial with a 50 ms first-token latency at
// concurrency 64, compared with the ideal N × 0.05 / 64 s, then the same dataset again from the response cache.
// Usage: dotnet run -c Release --project bench/Glidepath.Bench.Eval [-- CASES [CONCURRENCY]]
//        dotnet run -c Release --project bench/Glidepath.Bench.Eval -- --process [CASES [CONCURRENCY]] [--no-promptfoo] [--r2r]
//          glidepath eval run as its own process against a 50 ms OpenAI-compatible upstream, and promptfoo on the same cases.
//          --r2r also publishes the CLI as installed (dotnet publish -r RID: ReadyToRun) and measures both builds side by side.
//          --composite also publishes it self-contained with the framework compiled in one composite image and measures that too.
//          --memory adds a 20 × CASES uncached run per build: does peak RSS keep growing past the 10× run?
//          --gate then runs glidepath gate (a changed prompt against v1, uncached) at 1×, 10× (and with --memory 20×) CASES.
//          --cli=NAME=PATH adds another build of Glidepath.Cli.dll (for example the one before a change), measured in the same run.
if (args.Length > 1 && args[0] == "--serve-mock")
{
    return await MockServer.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == "--process")
{
    var numbers = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
    List<(string, string)> clis = [("dotnet build output (JIT)", Path.Combine(AppContext.BaseDirectory, "Glidepath.Cli.dll"))];
    if (args.Contains("--r2r"))
    {
        clis.Add(("dotnet publish -r " + System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier + " (ReadyToRun)", await ProcessBench.PublishAsync()));
    }

    if (args.Contains("--composite"))
    {
        clis.Add(("dotnet publish -r " + System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier + " --self-contained -p:PublishReadyToRunComposite=true", await ProcessBench.PublishCompositeAsync()));
    }

    foreach (var extra in args.Where(a => a.StartsWith("--cli=", StringComparison.Ordinal)))
    {
        var parts = extra["--cli=".Length..].Split('=', 2);
        clis.Add(parts.Length == 2 && File.Exists(parts[1]) ? (parts[0], parts[1]) : throw new ArgumentException($"{extra}: expected --cli=NAME=PATH of an existing Glidepath.Cli.dll (or a self-contained build's Glidepath.Cli executable)"));
    }

    return await ProcessBench.RunAsync(numbers.Length > 0 ? numbers[0] : 1000, numbers.Length > 1 ? numbers[1] : 64, !args.Contains("--no-promptfoo"), clis, args.Contains("--memory"), args.Contains("--gate"));
}

var cases = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
const double latencySeconds = 0.05;

var dir = Path.Combine(Path.GetTempPath(), "glidepath-bench-eval-" + Guid.NewGuid().ToString("N")[..8]);
var sample = Path.Combine(AppContext.BaseDirectory, "sample");
foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories))
{
    var dest = Path.Combine(dir, Path.GetRelativePath(sample, file));
    Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
    File.Copy(file, dest);
}

try
{
    // A fixed 50 ms before the answer, and a token rate so high that output length adds nothing measurable.
    var manifest = Path.Combine(dir, "glidepath.yaml");
    File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(
        "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }",
        "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n    options: { first_token_ms: 50, tokens_per_second: 100000 }",
        StringComparison.Ordinal));
    File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("providers:", "providers:\n  sim: { max_concurrency: " + concurrency.ToString(CultureInfo.InvariantCulture) + " }", StringComparison.Ordinal));

    // N distinct cases: the sample's questions, each made unique so that no two share a cache entry.
    var templates = File.ReadAllLines(Path.Combine(dir, "evals", "support.jsonl")).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    WriteDataset(Path.Combine(dir, "evals", "bench.jsonl"), templates, cases, "ticket");
    WriteDataset(Path.Combine(dir, "evals", "warmup.jsonl"), templates, concurrency * 4, "warm-up");

    var ideal = cases * latencySeconds / concurrency;
    Console.WriteLine($"glidepath eval bench: {cases} cases × 1 trial, sim first token 50 ms, concurrency {concurrency}, {Environment.ProcessorCount} cores");
    // Warm-up on other cases: JIT, store creation and migrations are not what this measures.
    await RunAsync(manifest, dir, concurrency, "evals/warmup.jsonl");
    var (cold, coldRun, coldCpu) = await RunAsync(manifest, dir, concurrency, "evals/bench.jsonl");
    var (warm, warmRun, warmCpu) = await RunAsync(manifest, dir, concurrency, "evals/bench.jsonl");
    var meanLatency = coldRun.GetProperty("summary").GetProperty("latency_p50_ms").GetDouble();
    var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    Console.WriteLine();
    var cores = Environment.ProcessorCount;
    Console.WriteLine("| run | wall time | target | ratio | CPU time (per call) | pass rate |");
    Console.WriteLine("|---|---|---|---|---|---|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| uncached, {cases} × 50 ms at concurrency {concurrency} | {cold:0.00} s | ≤ 1.2 × {ideal:0.00} s | {cold / ideal:0.00}× | {coldCpu:0.0} s ({coldCpu / cases * 1000:0.00} ms) | {coldRun.GetProperty("summary").GetProperty("pass_rate").GetDouble():0.0%} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| fully cached re-run | {warm:0.00} s | < 5 s | | {warmCpu:0.0} s ({warmCpu / cases * 1000:0.00} ms) | {warmRun.GetProperty("summary").GetProperty("pass_rate").GetDouble():0.0%} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(CPU floor of the uncached run on {cores} idle cores: {coldCpu / cores:0.00} s = {coldCpu / cores / ideal:0.00}× ideal)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(median latency per call in the uncached run: {meanLatency:0.0} ms; load average at the end: {load} on {Environment.ProcessorCount} cores)"));
    var ok = cold / ideal <= 1.2 && warm < 5;
    Console.WriteLine(ok ? "targets met (≤ 1.2× ideal, cached < 5 s)" : "TARGETS MISSED");
    return ok ? 0 : 1;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dir, recursive: true);
}

static void WriteDataset(string path, List<JsonObject> templates, int count, string tag)
{
    using var writer = new StreamWriter(path);
    for (var i = 0; i < count; i++)
    {
        var c = (JsonObject)templates[i % templates.Count].DeepClone();
        c["id"] = $"{c["id"]}-{i:00000}";
        var message = c["input"]!["messages"]![0]!;
        message["content"] = $"{message["content"]} ({tag} {i})";
        writer.WriteLine(c.ToJsonString());
    }
}

static async Task<(double Seconds, JsonElement Result, double CpuSeconds)> RunAsync(string manifest, string dir, int concurrency, string dataset)
{
    var stdout = new StringWriter();
    var stderr = new StringWriter();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var env = new CliEnvironment(stdout, stderr, false)
    {
        ModelClients = Environment.GetEnvironmentVariable("BENCH_FAKE") is null ? null : (_, _) => new DelayClients(),
    };
    var code = await CliApp.RunAsync(
        ["eval", "run", .. Environment.GetEnvironmentVariable("BENCH_NO_CACHE") is null ? Array.Empty<string>() : ["--no-cache"], "--dataset", dataset, "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--format", "json", "--manifest", manifest, "--store", Path.Combine(dir, ".glidepath", "bench.db")],
        env, CancellationToken.None);
    sw.Stop();
    if (code != 0)
    {
        throw new InvalidOperationException($"eval run exited {code}: {stderr}");
    }

    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    return (sw.Elapsed.TotalSeconds, JsonDocument.Parse(stdout.ToString()).RootElement.Clone(), cpuSeconds);
}

internal sealed class DelayClients : Glidepath.Models.IModelClientFactory
{
    public Microsoft.Extensions.AI.IChatClient Create(Glidepath.Manifests.ModelSpec model, Glidepath.Manifests.ProviderSettings settings, Glidepath.Models.ModelClientOptions options) => new Client();

    private sealed class Client : Microsoft.Extensions.AI.IChatClient
    {
        public async Task<Microsoft.Extensions.AI.ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(50, cancellationToken);
            return new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, "within 30 days, store credit, 3 to 5 business days"));
        }

        public IAsyncEnumerable<Microsoft.Extensions.AI.ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
