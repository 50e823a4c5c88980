using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// The same cases through promptfoo (npm <c>promptfoo@0.123.1</c>, installed once under
/// bench/Glidepath.Bench.Eval/.promptfoo when Node.js is on the machine) against the same upstream, same
/// concurrency, no cache; prints its wall time and the ratio to glidepath's.
/// </summary>
internal static class Promptfoo
{
    private const string Version = "0.123.1";

    public static async Task CompareAsync(string dir, int port, List<JsonObject> templates, int cases, int concurrency, double glidepathSeconds)
    {
        Console.WriteLine();
        if (!OnPath("node") || !OnPath("npm"))
        {
            Console.WriteLine("promptfoo: skipped (Node.js is not installed)");
            return;
        }

        var home = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".promptfoo"));
        var bin = Path.Combine(home, "node_modules", "promptfoo", "dist", "src", "main.js");
        if (!File.Exists(bin))
        {
            Console.WriteLine($"promptfoo: installing promptfoo@{Version} into {home} (once)");
            Directory.CreateDirectory(home);
            var (code, output) = await RunAsync("npm", ["install", "--prefix", home, $"promptfoo@{Version}", "--no-audit", "--no-fund", "--loglevel=error"], dir, []);
            if (code != 0 || !File.Exists(bin))
            {
                Console.WriteLine($"promptfoo: skipped (npm install failed: {output.Trim()})");
                return;
            }
        }

        var system = File.ReadAllText(Path.Combine(dir, "prompts", "system.md"));
        var prompt = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = system },
            new JsonObject { ["role"] = "user", ["content"] = "{{question}}" });
        File.WriteAllText(Path.Combine(dir, "promptfoo-prompt.json"), prompt.ToJsonString());
        var config = new StringBuilder();
        config.AppendLine("prompts: ['file://promptfoo-prompt.json']");
        config.AppendLine("providers:");
        config.AppendLine(CultureInfo.InvariantCulture, $"  - id: openai:chat:gpt-4o-mini");
        config.AppendLine(CultureInfo.InvariantCulture, $"    config: {{ apiBaseUrl: 'http://127.0.0.1:{port}/v1', apiKey: bench, temperature: 0.2, max_tokens: 400 }}");
        config.AppendLine("tests:");
        for (var i = 0; i < cases; i++)
        {
            var c = templates[i % templates.Count];
            var question = $"{c["input"]!["messages"]![0]!["content"]} (promptfoo {i})";
            var tier = c["input"]?["vars"]?["customer_tier"]?.GetValue<string>() ?? "standard";
            var contains = c["expect"]?["contains"]?[0]?.GetValue<string>() ?? "";
            var vars = new JsonObject { ["question"] = question, ["customer_tier"] = tier, ["kb_url"] = "https://kb.northwind.example" };
            var assert = new JsonArray(new JsonObject { ["type"] = "icontains", ["value"] = contains });
            config.AppendLine(CultureInfo.InvariantCulture, $"  - {{ vars: {vars.ToJsonString()}, assert: {assert.ToJsonString()} }}");
        }

        File.WriteAllText(Path.Combine(dir, "promptfooconfig.yaml"), config.ToString());
        var env = new Dictionary<string, string>
        {
            ["PROMPTFOO_DISABLE_TELEMETRY"] = "1",
            ["PROMPTFOO_DISABLE_UPDATE"] = "1",
            ["PROMPTFOO_CONFIG_DIR"] = Path.Combine(dir, ".promptfoo-config"),
            ["OPENAI_API_KEY"] = "bench",
        };
        var watch = Stopwatch.StartNew();
        var (exit, log) = await RunAsync("node", [bin, "eval", "-c", "promptfooconfig.yaml", "--max-concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--no-cache", "--no-progress-bar", "--no-table", "--no-write", "-o", "promptfoo-out.json"], dir, env);
        watch.Stop();
        if (!File.Exists(Path.Combine(dir, "promptfoo-out.json")))
        {
            Console.WriteLine($"promptfoo: failed (exit {exit}): {Tail(log)}");
            return;
        }

        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "promptfoo-out.json")));
        var stats = result.RootElement.GetProperty("results").GetProperty("stats");
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine("| runner | wall time (process) | successes / failures | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| glidepath eval run, {cases} cases | {glidepathSeconds:0.00} s | | 1× |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| promptfoo {Version} eval, {cases} cases | {seconds:0.00} s | {stats.GetProperty("successes").GetInt32()} / {stats.GetProperty("failures").GetInt32()} | {seconds / glidepathSeconds:0.0}× glidepath |"));
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(p => File.Exists(Path.Combine(p, name)));

    private static string Tail(string s) => s.Length <= 400 ? s : s[^400..];

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string dir, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
