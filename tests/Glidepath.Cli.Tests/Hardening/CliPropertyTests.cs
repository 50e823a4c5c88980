using System.Text;
using CsCheck;
using Glidepath.Cli.Tests.Evals;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>
/// Issue 13's property through the real CLI entry (in-process): a handful of mutated manifests and datasets
/// end with a documented exit code (0–4), never a stack trace, and a rejected manifest writes no store.
/// The bulk (10,000 of each) runs against the parser and the reader in Glidepath.Tests.
/// </summary>
public sealed class CliPropertyTests
{
    private const int Count = 40;

    private static void AssertClean(int code, string stderr, string what)
    {
        Assert.True(code is >= 0 and <= 4, $"{what}: exit {code}\n{stderr}");
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseCreate_MutatedManifests_DocumentedExitCodeAndNoStoreWhenRejected()
    {
        using var app = EvalApp.Create();
        var sample = await File.ReadAllTextAsync(app.Manifest);
        var gen = InputMutations.Mutations.Select(m => InputMutations.Apply(sample, m, json: false));
        var i = 0;
        foreach (var (yaml, seed) in InputMutations.Deterministic(gen, Count, stream: 7))
        {
            await File.WriteAllTextAsync(app.Manifest, yaml);
            var store = Path.Combine(app.Dir, ".glidepath", $"fuzz-{i++}.db");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await CliApp.RunAsync(["release", "create", "--manifest", app.Manifest, "--store", store], new CliEnvironment(stdout, stderr, false) { Debug = false }, CancellationToken.None);

            AssertClean(code, stderr.ToString(), $"seed {seed}");
            Assert.True(code == 0 || !File.Exists(store), $"seed {seed}: exit {code} but a store was written");
        }
    }

    [Fact]
    public async Task EvalRun_MutatedDatasets_DocumentedExitCode()
    {
        using var app = EvalApp.Create();
        var lines = (await File.ReadAllLinesAsync(Path.Combine(app.Dir, "evals", "support.jsonl"))).Where(l => l.Length > 0).ToArray();
        var gen = Gen.Select(Gen.Int[0, lines.Length - 1], InputMutations.Mutations)
            .Select((line, m) => lines[line] + "\n" + InputMutations.Apply(lines[(line + 1) % lines.Length], m, json: true) + "\n");
        var dataset = Path.Combine(app.Dir, "evals", "fuzz.jsonl");
        foreach (var (text, seed) in InputMutations.Deterministic(gen, Count / 2, stream: 11))
        {
            await File.WriteAllTextAsync(dataset, text, new UTF8Encoding(false));
            var (code, _, stderr) = await app.RunAsync("eval", "run", "--dataset", dataset);
            AssertClean(code, stderr, $"seed {seed}");
        }
    }
}
