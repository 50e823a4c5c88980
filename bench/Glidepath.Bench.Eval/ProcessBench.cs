using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// Issue 19's eval-runner measurement: <c>glidepath eval run</c> as its own process (wall time includes process
/// start) against an OpenAI-compatible upstream that answers every call after 50 ms (a second process), and the same
/// cases through promptfoo when Node.js is on the machine, side by side in one run.
/// </summary>
internal static partial class ProcessBench
{
    private const double LatencySeconds = 0.05;

    /// <param name="clis">The builds of the CLI to measure side by side (name, path of Glidepath.Cli.dll); each gets its own store.</param>
    /// <param name="memory">Also run 20 × <paramref name="cases"/> uncached cases per build: whether peak RSS keeps growing past the 10× run.</param>
    public static async Task<int> RunAsync(int cases, int concurrency, bool promptfoo, IReadOnlyList<(string Name, string Dll)> clis, bool memory = false, bool gate = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "glidepath-bench-eval-" + Guid.NewGuid().ToString("N")[..8]);
        var sample = Path.Combine(AppContext.BaseDirectory, "sample");
        foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(dir, Path.GetRelativePath(sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }

        using var mock = StartMock(out var port);
        try
        {
            var manifest = Path.Combine(dir, "glidepath.yaml");
            var text = File.ReadAllText(manifest)
                .Replace("provider: sim ", "provider: openai ", StringComparison.Ordinal)
                .Replace("name: sim-support-1", "name: gpt-4o-mini", StringComparison.Ordinal)
                .Replace("openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }",
                    $"openai: {{ base_url: \"http://127.0.0.1:{port}/v1\", max_concurrency: {concurrency} }}", StringComparison.Ordinal)
                .Replace("prices:", "prices:\n  gpt-4o-mini: { input: 0.15, output: 0.6 }", StringComparison.Ordinal);
            File.WriteAllText(manifest, text);

            var templates = File.ReadAllLines(Path.Combine(dir, "evals", "support.jsonl")).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            WriteDataset(Path.Combine(dir, "evals", "setup.jsonl"), templates, 10, "setup");
            WriteDataset(Path.Combine(dir, "evals", "small.jsonl"), templates, cases, "small");
            WriteDataset(Path.Combine(dir, "evals", "large.jsonl"), templates, 10 * cases, "large");
            if (memory)
            {
                WriteDataset(Path.Combine(dir, "evals", "double.jsonl"), templates, 20 * cases, "double");
            }
            Console.WriteLine($"eval runner bench: glidepath eval run as a process, OpenAI-compatible upstream answering after 50 ms (its own process), concurrency {concurrency}, {Environment.ProcessorCount} cores, load average {Load()}");

            // Store creation, migrations and release registration happen once, as in a real repository: not measured.
            // Each build has its own store (its own response cache); the builds take turns at each kind of run.
            var stores = clis.Select((_, i) => Path.Combine(dir, ".glidepath", $"bench-{i}.db")).ToArray();
            var small = new Run[clis.Count];
            var large = new Run[clis.Count];
            var cached = new Run[clis.Count];
            var doubled = new Run[clis.Count];
            for (var i = 0; i < clis.Count; i++)
            {
                await RunCliAsync(clis[i].Dll, dir, stores[i], EvalRun(manifest, "evals/setup.jsonl", concurrency));
            }

            var kinds = new List<(Run[], string)> { (small, "evals/small.jsonl"), (large, "evals/large.jsonl"), (cached, "evals/large.jsonl") };
            if (memory)
            {
                kinds.Add((doubled, "evals/double.jsonl"));
            }

            foreach (var (runs, dataset) in kinds)
            {
                for (var i = 0; i < clis.Count; i++)
                {
                    runs[i] = await RunCliAsync(clis[i].Dll, dir, stores[i], EvalRun(manifest, dataset, concurrency));
                }
            }

            var smallIdeal = cases * LatencySeconds / concurrency;
            var largeIdeal = 10 * cases * LatencySeconds / concurrency;
            var ok = true;
            for (var i = 0; i < clis.Count; i++)
            {
                TableHeader($"{clis[i].Name} ({clis[i].Dll}):");
                Row($"uncached, {cases} cases", small[i], smallIdeal, "≤ 1.5× ideal", cases);
                Row($"uncached, {10 * cases} cases", large[i], largeIdeal, "", 10 * cases);
                Row($"fully cached re-run, {10 * cases} cases", cached[i], null, "≤ 2 s", 10 * cases);
                if (memory)
                {
                    Row($"uncached, {20 * cases} cases", doubled[i], 2 * largeIdeal, "", 20 * cases);
                }

                // The fixed cost of a process (runtime start, JIT, opening the store) is in both uncached runs: the slope
                // between them is the CPU each further call costs.
                var perCall = (large[i].Cpu - small[i].Cpu) / (9.0 * cases);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU per uncached call, fixed costs removed ((CPU of {10 * cases} − CPU of {cases}) / {9 * cases}): {perCall * 1000:0.000} ms (target ≤ 0.5 ms); fixed cost of a run ≈ {small[i].Cpu - (perCall * cases):0.00} s CPU"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS of the {10 * cases}-case run against the {cases}-case run: {large[i].PeakRssMiB / small[i].PeakRssMiB:0.00}× (issue 19: memory flat in the number of cases)"));
                if (memory)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS of the {20 * cases}-case run against the {10 * cases}-case run: {doubled[i].PeakRssMiB / large[i].PeakRssMiB:0.00}× (past the runtime's warm-up, growth is what a run keeps per case)"));
                }

                // The 1× → 10× slope still holds JIT work: hot code is recompiled optimized in a run's first seconds, which a
                // short run ends before finishing. Past that (10× → 20×) is what one more call costs; both are printed.
                var marginal = memory ? (doubled[i].Cpu - large[i].Cpu) / (10.0 * cases) : perCall;
                if (memory)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU per uncached call past the JIT's warm-up ((CPU of {20 * cases} − CPU of {10 * cases}) / {10 * cases}): {marginal * 1000:0.000} ms (target ≤ 0.5 ms)"));
                }

                var met = small[i].Wall / smallIdeal <= 1.5 && marginal <= 0.0005 && cached[i].Wall <= 2;
                Console.WriteLine(met ? "targets met" : "targets missed");
                ok &= met;
            }

            if (promptfoo)
            {
                await Promptfoo.CompareAsync(dir, port, templates, cases, concurrency, small[^1].Wall);
            }

            // After promptfoo: the gate changes the sample's prompt (its candidate).
            if (gate)
            {
                ok &= await GateBench.RunAsync(dir, manifest, stores, clis, cases, concurrency, memory);
            }

            Console.WriteLine();
            Console.WriteLine($"load average at the end: {Load()}");
            Console.WriteLine(ok ? "targets met" : "TARGETS MISSED (by at least one build)");
            return ok ? 0 : 1;
        }
        finally
        {
            mock.StandardInput.Close();
            await mock.WaitForExitAsync();
            if (Environment.GetEnvironmentVariable("GLIDEPATH_BENCH_KEEP") == "1")
            {
                Console.Error.WriteLine($"kept {dir} (GLIDEPATH_BENCH_KEEP=1): its stores and datasets, to profile a run again");
            }
            else
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>A build's title and the header of its table of runs (<see cref="Row"/>).</summary>
    internal static void TableHeader(string title)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine();
        Console.WriteLine("| run | wall time (process) | ideal | ratio | target | CPU (per call) | pass rate | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
    }

    internal static void Row(string name, Run run, double? ideal, string target, int calls) => Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {name} | {run.Wall:0.00} s | {(ideal is { } i ? $"{i:0.00} s" : "")} | {(ideal is { } j ? $"{run.Wall / j:0.00}×" : "")} | {target} | {run.Cpu:0.00} s ({run.Cpu / calls * 1000:0.000} ms) | {run.PassRate:0.0%} | {run.PeakRssMiB:0} MiB |"));

    private static Process StartMock(out int port)
    {
        var self = Path.Combine(AppContext.BaseDirectory, "Glidepath.Bench.Eval.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", self, "--serve-mock", "50"]) { RedirectStandardOutput = true, RedirectStandardInput = true };
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the mock upstream did not start");
        port = int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
        return process;
    }

    /// <summary>Publishes the CLI for this machine's runtime identifier (ReadyToRun, as its csproj sets for a RID) to a temporary folder.</summary>
    public static async Task<string> PublishAsync()
    {
        var root = RepoRoot();
        var output = Path.Combine(Path.GetTempPath(), "glidepath-bench-r2r");
        Console.Error.WriteLine($"publishing the CLI (ReadyToRun) to {output}…");
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "src", "Glidepath.Cli"), "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-o", output, "-nologo", "-v", "quiet"]);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? Path.Combine(output, "Glidepath.Cli.dll") : throw new InvalidOperationException($"dotnet publish exited {process.ExitCode}");
    }

    /// <summary>
    /// Publishes the CLI self-contained with the framework and the CLI compiled together (<c>PublishReadyToRunComposite</c>:
    /// one version bubble, so generic code over framework types is precompiled too) and returns its executable.
    /// </summary>
    public static async Task<string> PublishCompositeAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "glidepath-bench-composite");
        Console.Error.WriteLine($"publishing the CLI (self-contained, composite ReadyToRun) to {output}… (minutes)");
        // Its own artifacts folder: a composite publish leaves per-assembly stubs of the composite image in obj/, which a
        // later framework-dependent publish for the same runtime would pick up as up to date (a CLI that aborts at start).
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(RepoRoot(), "src", "Glidepath.Cli"), "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "-p:PublishReadyToRunComposite=true",
            "--artifacts-path", output + "-artifacts", "-o", output, "-nologo", "-v", "quiet"]);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? Path.Combine(output, "Glidepath.Cli") : throw new InvalidOperationException($"dotnet publish exited {process.ExitCode}");
    }

    private static string RepoRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Glidepath.slnx")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("cannot find Glidepath.slnx above the bench");
        }

        return root;
    }

    private static string[] EvalRun(string manifest, string dataset, int concurrency) =>
        ["eval", "run", "--dataset", dataset, "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--format", "json", "--manifest", manifest];

    /// <summary>Runs one CLI command (<paramref name="command"/>, with <c>--store</c> added) as its own process: wall time, CPU, pass rate and peak RSS.</summary>
    internal static async Task<Run> RunCliAsync(string cli, string dir, string store, IReadOnlyList<string> command)
    {
        // A Glidepath.Cli.dll runs on the shared runtime; anything else is a build's own executable (a self-contained publish).
        var start = cli.EndsWith(".dll", StringComparison.Ordinal)
            ? new ProcessStartInfo("dotnet", ["exec", cli, .. command, "--store", store])
            : new ProcessStartInfo(cli, [.. command, "--store", store]);
        start.WorkingDirectory = dir;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var before = ChildrenCpu();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var peak = PeakRssAsync(process);
        await process.WaitForExitAsync();
        watch.Stop();
        var cpu = ChildrenCpu() - before;
        if (process.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"{cli} {command[0]} exited {process.ExitCode}: {await stderr}");
        }

        // eval run: summary.pass_rate; gate: the candidate's pass rate.
        var root = JsonDocument.Parse(await stdout).RootElement;
        var passRate = root.TryGetProperty("summary", out var summary) ? summary.GetProperty("pass_rate").GetDouble() : root.GetProperty("candidate_pass_rate").GetDouble();
        return new Run(watch.Elapsed.TotalSeconds, cpu, passRate, await peak);
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    public static void WriteDataset(string path, List<JsonObject> templates, int count, string tag)
    {
        using var writer = new StreamWriter(path);
        for (var i = 0; i < count; i++)
        {
            var c = (JsonObject)templates[i % templates.Count].DeepClone();
            c["id"] = $"{c["id"]}-{i:000000}";
            var message = c["input"]!["messages"]![0]!;
            message["content"] = $"{message["content"]} ({tag} {i})";
            writer.WriteLine(c.ToJsonString());
        }
    }

    /// <summary>User + system CPU seconds of every child process waited for so far (getrusage RUSAGE_CHILDREN).</summary>
    private static double ChildrenCpu()
    {
        if (GetRusage(-1, out var usage) != 0)
        {
            throw new InvalidOperationException("getrusage failed");
        }

        return usage.UserSeconds + (usage.UserMicros / 1e6) + usage.SystemSeconds + (usage.SystemMicros / 1e6);
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out RUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicros;
        public long SystemSeconds;
        public long SystemMicros;
        public long MaxRss, Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }

    /// <summary>The child's peak resident set (VmHWM), read every 20 ms while it runs (the last read before it exits), MiB.</summary>
    private static async Task<double> PeakRssAsync(Process process)
    {
        double peak = 0;
        var status = $"/proc/{process.Id}/status";
        while (!process.HasExited)
        {
            try
            {
                foreach (var line in await File.ReadAllLinesAsync(status))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        peak = Math.Max(peak, double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024);
                    }
                }
            }
            catch (IOException)
            {
                break; // exited between the check and the read
            }

            await Task.Delay(20);
        }

        return peak;
    }

    internal readonly record struct Run(double Wall, double Cpu, double PassRate, double PeakRssMiB);
}
