using System.Diagnostics;
using System.Text.Json;
using Glidepath.Cli.Tests.Evals;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>
/// From an outside trial: "gate --report /dev/stdout --format json" put the markdown report and the JSON document on the
/// same stdout. Under --format json a report or dataset aimed at stdout is refused before the run (exit 2), saying why.
/// </summary>
public sealed class OutputOnStdoutTests
{
    [Theory]
    [InlineData("/dev/stdout")]
    [InlineData("/proc/self/fd/1")]
    [InlineData("/dev/fd/1")]
    public async Task Gate_ReportOnStdoutWithJson_Exit2BeforeTheRun(string target)
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "\nBe brief.\n");

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--report", target, "--report-format", "md", "--format", "json");

        Assert.True(code == 2, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal($"--report '{target}' is stdout, which carries the JSON document under --format json; name a file instead, or leave out --format json",
            doc.RootElement.GetProperty("error").GetString());
        var (_, runs, _) = await app.RunAsync("eval", "list", "--format", "json");
        Assert.Equal(0, JsonDocument.Parse(runs).RootElement.GetArrayLength());
        Assert.False(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "-")));
    }

    // Trial ci D3: in text mode '--report -' wrote a file named '-' into the checkout. Refused in both modes, before the run.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gate_ReportDash_Exit2BeforeTheRunInEveryModeAndNoFileNamedDash(bool json)
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        string[] args = ["gate", "--baseline", v1, "--report", "-", .. json ? new[] { "--format", "json" } : []];

        var (code, stdout, stderr) = await app.RunAsync(args);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        const string Expected = "--report '-': a dash is not read as stdout here, and a file named '-' is not written; name a file, or /dev/stdout to write to stdout (not under --format json, where stdout carries the JSON document)";
        Assert.Equal(Expected, json ? JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString() : stderr.Trim().Replace("error: ", "", StringComparison.Ordinal));
        var (_, runs, _) = await app.RunAsync("eval", "list", "--format", "json");
        Assert.Equal(0, JsonDocument.Parse(runs).RootElement.GetArrayLength());
        Assert.False(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "-")));
    }

    [Fact]
    public async Task EvalsetImport_OutOnStdoutWithJson_Exit2()
    {
        using var app = EvalApp.Create();
        var source = Path.Combine(app.Dir, "promptfooconfig.yaml");
        await File.WriteAllTextAsync(source, "tests:\n  - vars: { question: \"How long is the refund window?\" }\n    assert: [{ type: contains, value: 30 days }]\n");

        var (code, stdout, _) = await app.RunAsync("evalset", "import", "promptfoo", source, "--out", "/dev/stdout", "--format", "json");

        Assert.Equal(2, code);
        Assert.StartsWith("--out '/dev/stdout' is stdout", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    // Stdout redirected to the very file the report names: the report was written, then overwritten by the document.
    // Through a linked folder too: the kernel names stdout's file by its real path.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gate_ReportIsTheFileStdoutIsRedirectedTo_Exit2AndTheFileHoldsTheErrorObject(bool throughLinkedFolder)
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        var folder = app.Dir;
        if (throughLinkedFolder)
        {
            folder = app.Dir + "-link";
            Directory.CreateSymbolicLink(folder, app.Dir);
        }

        using var unlink = new LinkRemoval(throughLinkedFolder ? folder : null);
        var file = Path.Combine(folder, "gate.json");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec dotnet \"$0\" gate --baseline \"$1\" --report \"$2\" --manifest \"$3\" --store \"$4\" --format json > \"$2\"");
        foreach (var a in new[] { CliRunner.DllPath, v1, file, app.Manifest, app.StorePath })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}: {stderr}");
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.StartsWith($"--report '{file}' is stdout", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private sealed class LinkRemoval(string? link) : IDisposable
    {
        public void Dispose()
        {
            if (link is not null)
            {
                Directory.Delete(link);
            }
        }
    }
}
