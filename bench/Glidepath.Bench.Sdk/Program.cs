// The SDK's overhead per call: the same zero-latency IChatClient called bare and through UseGlidepath (routing on a
// live split, release application, trace queued for the batch writer, capture and online sampling as the sample
// manifest says), side by side in one run, in alternating blocks so both see the same machine. Issue 17's target:
// ≤ 20 µs p50 and ≤ 2 KB allocated per call.
//
//   dotnet run -c Release --project bench/Glidepath.Bench.Sdk [-- --blocks 40 --block 1000] [--no-sampling]
//
// --no-sampling sets online.sample_rate 0 and capture none: what routing, release application and the trace cost alone.
//
// Blocks are separated by a short pause so the batch writer keeps up (a full trace queue would drop traces, a cheaper
// path than the one measured). Allocation is counted on the calling thread (the writer's own work is off the call path).
using System.Diagnostics;
using System.Globalization;
using Glidepath.Bench.Sdk;
using Glidepath.Cli;
using Glidepath.Extensions.AI;
using Glidepath.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

var blocks = Arg("--blocks", 40);
var blockSize = Arg("--block", 1000);

var dir = Path.Combine(Path.GetTempPath(), "gp-bench-sdk-" + Guid.NewGuid().ToString("N")[..8]);
CopySample(dir);
var manifest = Path.Combine(dir, "glidepath.yaml");
var sampling = !args.Contains("--no-sampling");
if (!sampling)
{
    File.WriteAllText(manifest, File.ReadAllText(manifest)
        .Replace("sample_rate: 0.2", "sample_rate: 0", StringComparison.Ordinal)
        .Replace("content: sampled", "content: none", StringComparison.Ordinal));
}

await Cli("release", "create", "-m", "v1");
File.AppendAllText(Path.Combine(dir, "prompts", "system.md"), "- Gift wrapping: free on request.\n");
await Cli("release", "create", "-m", "v2");
await Cli("deploy", "v1", "--env", "staging");
await Cli("rollout", "start", "v2", "--env", "staging", "--steps", "50", "--force", "--reason", "bench"); // no controller runs here: the split stays at 50%

var zero = new ZeroLatencyClient();
await using var store = await SqliteStore.OpenAsync(Path.Combine(dir, ".glidepath", "glidepath.db"), TimeProvider.System, CancellationToken.None);
await using var runtime = new GlidepathRuntime(new GlidepathOptions { Environment = "staging", Manifest = manifest, StoreInstance = store, Models = zero }, NullLoggerFactory.Instance);
await runtime.StartAsync(CancellationToken.None);
IChatClient sdk = runtime.CreateChatClient();
IChatClient bare = zero;
List<ChatMessage> messages = [new(ChatRole.User, "Can I return shoes after 45 days?")];
var subjects = Enumerable.Range(0, 1000).Select(i => $"user-{i}").ToArray();

var bareTimes = new List<double>(blocks * blockSize);
var sdkTimes = new List<double>(blocks * blockSize);
long bareBytes = 0, sdkBytes = 0;
for (var warm = 0; warm < 3; warm++)
{
    await BlockAsync(bare, null);
    await BlockAsync(sdk, null);
    await Task.Delay(300);
}

for (var b = 0; b < blocks; b++)
{
    bareBytes += await BlockAsync(bare, bareTimes);
    sdkBytes += await BlockAsync(sdk, sdkTimes);
    await Task.Delay(250);
}

var calls = (double)blocks * blockSize;
Console.WriteLine($"calls per client: {calls:N0} in {blocks} alternating blocks; canary at 50%, {(sampling ? "sample manifest (capture sampled, online 0.2)" : "no sampling (capture none, online 0)")}");
Console.WriteLine("client         p50 µs   p90 µs   p99 µs   alloc B/call");
Print("bare", bareTimes, bareBytes / calls);
Print("UseGlidepath", sdkTimes, sdkBytes / calls);
Console.WriteLine($"overhead p50: {Percentile(sdkTimes, 0.5) - Percentile(bareTimes, 0.5):F1} µs; allocated: {(sdkBytes - bareBytes) / calls:F0} B/call");
await runtime.StopAsync(CancellationToken.None);
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
Directory.Delete(dir, recursive: true);
return 0;

async Task<long> BlockAsync(IChatClient client, List<double>? times)
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    for (var i = 0; i < blockSize; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        using (GlidepathSubject.Use(subjects[i % subjects.Length]))
        {
            await client.GetResponseAsync(messages);
        }

        times?.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
    }

    return GC.GetAllocatedBytesForCurrentThread() - before;
}

static void Print(string name, List<double> times, double bytes) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-13} {Percentile(times, 0.5),7:F1}  {Percentile(times, 0.9),7:F1}  {Percentile(times, 0.99),7:F1}   {bytes,10:F0}"));

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
}

async Task Cli(params string[] args)
{
    var exit = await CliApp.RunAsync(["--manifest", manifest, .. args], TextWriter.Null, Console.Error, isTerminal: false, CancellationToken.None);
    if (exit != 0)
    {
        throw new InvalidOperationException($"glidepath {string.Join(' ', args)} exited {exit}");
    }
}

static void CopySample(string to)
{
    var from = Path.Combine(RepoRoot(), "samples", "support-agent");
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(to, Path.GetRelativePath(from, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target);
    }
}

static string RepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "Glidepath.slnx")))
        {
            return d.FullName;
        }
    }

    throw new InvalidOperationException("cannot find Glidepath.slnx");
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
