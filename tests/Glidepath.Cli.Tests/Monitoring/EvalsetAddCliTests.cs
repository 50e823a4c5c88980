using System.Text.Json;
using Glidepath.Cli.Tests.Evals;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;

namespace Glidepath.Cli.Tests.Monitoring;

public sealed class EvalsetAddCliTests
{
    private const string Dataset = "evals/from-traces.jsonl";

    [Fact]
    public async Task EvalsetAdd_TraceAddedTwice_OneRedactedCaseWithProvenance()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        var trace = await WriteTraceAsync(app, "Can I return a jacket I bought two weeks ago for a refund? Write to jane.doe@example.com");

        var (code, stdout, stderr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--expect-contains", "30 days", "--dataset", Dataset, "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("added").GetBoolean());
        var (again, stdout2, _) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--expect-contains", "30 days", "--dataset", Dataset, "--format", "json");
        Assert.Equal(0, again);
        Assert.False(JsonDocument.Parse(stdout2).RootElement.GetProperty("added").GetBoolean());

        var line = Assert.Single(File.ReadAllLines(Path.Combine(app.Dir, Dataset)), l => l.Length > 0);
        using var doc = JsonDocument.Parse(line);
        var c = doc.RootElement;
        var content = c.GetProperty("input").GetProperty("messages")[0].GetProperty("content").GetString()!;
        Assert.DoesNotContain("jane.doe@example.com", content, StringComparison.Ordinal);
        Assert.Contains("[email]", content, StringComparison.Ordinal);
        Assert.Equal("30 days", c.GetProperty("expect").GetProperty("contains")[0].GetString());
        var meta = c.GetProperty("metadata");
        Assert.Equal(trace.TraceId, meta.GetProperty("trace_id").GetString());
        Assert.StartsWith(v1 + "+", meta.GetProperty("release").GetString(), StringComparison.Ordinal);
        Assert.Equal("production", meta.GetProperty("environment").GetString());
    }

    // Newcomer trial M2: the case took every var of the environment, kb_url too, which no template used, so every eval
    // run and gate after it warned "input.vars 'kb_url' … is ignored". It takes those the trace's release uses: that
    // release rendered the request, so a variable only the working tree's prompt has does not come along either.
    [Fact]
    public async Task EvalsetAdd_EnvironmentVarsTheTracesReleaseDoesNotUse_LeftOutSoTheEvalRunDoesNotWarn()
    {
        using var app = EvalApp.Create();
        app.EditManifest(y => y.Replace("owner: support-ai-oncall      # owns the rollback decision\n    vars: { customer_tier: standard }",
            "owner: support-ai-oncall      # owns the rollback decision\n    vars: { customer_tier: standard, kb_url: \"https://kb.example\", help_url: \"https://help.example\" }", StringComparison.Ordinal));
        var v1 = await app.CreateReleaseAsync();
        var trace = await WriteTraceAsync(app, "Can I return a jacket I bought two weeks ago for a refund?");
        app.EditPrompt(p => p + "\nLinks go to {{help_url}}.\n"); // the working tree's prompt uses one more: not the trace's

        var (code, _, stderr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--expect-contains", "30 days", "--dataset", Dataset);
        Assert.True(code == 0, stderr);
        var line = Assert.Single(File.ReadAllLines(Path.Combine(app.Dir, Dataset)), l => l.Length > 0);
        using var doc = JsonDocument.Parse(line);
        var vars = doc.RootElement.GetProperty("input").GetProperty("vars");
        Assert.Equal(["customer_tier"], vars.EnumerateObject().Select(p => p.Name));
        Assert.Equal("standard", vars.GetProperty("customer_tier").GetString());

        var run = await app.RunAsync("eval", "run", v1, "--dataset", Dataset);
        Assert.True(run.Code is 0 or 1, run.Stderr);
        Assert.DoesNotContain("is ignored", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalsetAdd_TraceIdPrefix_AddsThatTrace()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        var trace = await WriteTraceAsync(app, "Can I return a jacket I bought two weeks ago for a refund?");

        var (code, stdout, stderr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId[..10], "--dataset", Dataset, "--format", "json");

        Assert.True(code == 0, stderr);
        Assert.Equal("trace-" + trace.TraceId[..12], JsonDocument.Parse(stdout).RootElement.GetProperty("case_id").GetString());
    }

    // Without an expectation and without a scorer that checks every case, the case would stop the next eval run and
    // gate (no scorer checks it): refused before anything is written, saying what to add.
    [Fact]
    public async Task EvalsetAdd_NoExpectationAndNoScorerChecksEveryCase_Exit2NothingWritten()
    {
        using var app = EvalApp.Create();
        app.EditManifest(y => y.Replace("    - { type: not_contains, values: [\"As an AI\"] }\n", "", StringComparison.Ordinal));
        await app.CreateReleaseAsync();
        var trace = await WriteTraceAsync(app, "Can I return a jacket I bought two weeks ago for a refund?");

        var (code, _, stderr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--dataset", Dataset);
        var (added, _, addErr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--expect-contains", "30 days", "--dataset", Dataset);

        Assert.Equal(2, code);
        Assert.Contains("no scorer in eval.scorers checks it", stderr, StringComparison.Ordinal);
        Assert.Contains("Give --expect-contains TEXT", stderr, StringComparison.Ordinal);
        Assert.True(added == 0, addErr);
        Assert.Single(File.ReadAllLines(Path.Combine(app.Dir, Dataset)), l => l.Length > 0);
    }

    // Trial ci D5: a case added to a file other than eval.dataset neither runs in the next gate nor stops any verdict counting.
    [Fact]
    public async Task EvalsetAdd_ToAnotherDataset_SaysTheGateDoesNotRunItAndVerdictsStillCount()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        var trace = await WriteTraceAsync(app, "Can I return a jacket I bought two weeks ago for a refund?");

        var (code, stdout, stderr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--expect-contains", "30 days", "--dataset", Dataset);

        Assert.True(code == 0, stderr);
        Assert.Contains($"{Dataset} is not eval.dataset (evals/support.jsonl): 'glidepath gate' does not run it, and the gate verdicts that count for promote, rollout start and the checklist are unchanged", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("The next 'glidepath gate' runs it", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalsetAdd_ToEvalDatasetNamedAnotherWay_SaysTheNextGateRunsIt()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        var trace = await WriteTraceAsync(app, "Can I return a blender I bought nine days ago for a refund?");

        var (code, stdout, stderr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--expect-contains", "30 days", "--dataset", "./evals/support.jsonl");

        Assert.True(code == 0, stderr);
        Assert.Contains("The next 'glidepath gate' runs it; the dataset's sha256 is now", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalsetAdd_ThenGate_TheCaseRunsAndAReleaseThatFailsItIsBlocked()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        var trace = await WriteTraceAsync(app, "Can I return a jacket I bought two weeks ago for a refund?");
        var (added, _, addErr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--expect-contains", "30 days", "--dataset", Dataset);
        Assert.True(added == 0, addErr);
        var caseId = "trace-" + trace.TraceId[..12];

        var (pass, passOut, passErr) = await app.RunAsync("gate", "--baseline", v1, "--dataset", Dataset, "--format", "json");
        Assert.True(pass == 0, passOut + passErr);
        Assert.Equal(1, JsonDocument.Parse(passOut).RootElement.GetProperty("counts").GetProperty("cases").GetInt32());

        app.EditPrompt(p => string.Join('\n', p.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal))));
        var (blocked, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--dataset", Dataset);

        Assert.True(blocked == 1, $"exit {blocked}: {stdout}\n{stderr}");
        Assert.Contains($"REGRESSED {caseId}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalsetAdd_TraceWithoutCapturedContent_Exit2NamingCapture()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        var trace = await WriteTraceAsync(app, null);

        var (code, _, stderr) = await app.RunAsync("evalset", "add", "--from-trace", trace.TraceId, "--dataset", Dataset);

        Assert.Equal(2, code);
        Assert.Contains("capture.content", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app.Dir, Dataset)));
    }

    private static async Task<TraceRecord> WriteTraceAsync(EvalApp app, string? question)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var release = (await store.Releases.ListAsync("support-agent", CancellationToken.None))[^1];
        var trace = new TraceRecord
        {
            TraceId = Guid.NewGuid().ToString("N"),
            App = "support-agent",
            Environment = "production",
            ReleaseId = release.Id,
            Arm = "stable",
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            Api = "openai",
            Status = 200,
            LatencyMs = 500,
            OverheadMs = 0.2,
            InputJson = question is null ? null : JsonSerializer.Serialize(new[] { new { role = "user", content = question } }),
            OutputText = question is null ? null : "Sorry, I cannot help with that.",
        };
        await store.Traces.WriteBatchAsync([trace], CancellationToken.None);
        return trace;
    }
}
