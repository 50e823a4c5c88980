using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Glidepath.Cli.Tests.Evals;

public sealed class EvalRunCliTests
{
    [Fact]
    public async Task EvalRun_SampleWithSim_AllScoredExit0WithSummary()
    {
        using var app = EvalApp.Create();
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var summary = doc.RootElement.GetProperty("summary");
        Assert.Equal(44, summary.GetProperty("trials").GetInt32());
        Assert.Equal(0, summary.GetProperty("errors").GetInt32());
        Assert.Equal(64, doc.RootElement.GetProperty("dataset").GetProperty("sha256").GetString()!.Length);
        Assert.Contains("(100%)", stderr, StringComparison.Ordinal);
    }

    // The document is written by hand (no reflection-based serializer): its shape, name by name and in order, is the
    // one the serializer wrote for the objects it replaced.
    [Fact]
    public async Task EvalRun_FormatJson_TheDocumentsShapeNameByNameInOrder()
    {
        using var app = EvalApp.Create();
        app.EditPrompt(p => string.Join('\n', p.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal))));

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--format", "json");

        Assert.True(code == 0, stderr); // every case scored: failures are results, not errors
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["run", "release", "dataset", "scorer_version", "concurrency", "summary", "not_passed"], Names(root));
        Assert.Equal(["name", "id", "app", "version", "git_commit", "dirty", "author", "created_at", "message", "also_recorded_at"], Names(root.GetProperty("release")));
        Assert.Equal(["path", "sha256"], Names(root.GetProperty("dataset")));
        Assert.Equal(["requested", "effective", "limited_by"], Names(root.GetProperty("concurrency")));
        Assert.Equal(["release_id", "cases", "trials", "passed", "failed", "errors", "pass_rate", "mean_score", "latency_p50_ms", "latency_p95_ms", "cost_usd", "judge_calls", "judge_cost_usd"], Names(root.GetProperty("summary")));
        var first = root.GetProperty("not_passed")[0];
        Assert.Equal(["case_id", "trial", "status", "score", "reason", "output"], Names(first));
        Assert.Equal(("fail", JsonValueKind.Number, JsonValueKind.Null), (first.GetProperty("status").GetString(), first.GetProperty("trial").ValueKind, root.GetProperty("concurrency").GetProperty("limited_by").ValueKind));
        Assert.EndsWith("\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\n  \"run\": ", stdout, StringComparison.Ordinal);

        static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];
    }

    // A cached answer is measured by the time the provider took when it gave it: measured by the cache's own
    // microseconds, a cached baseline passed every latency limit and a called candidate looked slow beside it.
    // (The sim waits at least its planned latency, over 10 ms per answer here, so the limit below fails every call.)
    [Fact]
    public async Task EvalRun_CachedAnswers_KeepTheLatencyTheProviderTook()
    {
        using var app = EvalApp.Create();
        app.EditManifest(y => y
            .Replace("options: { latency_scale: 0 }", "options: { latency_scale: 0.1 }", StringComparison.Ordinal)
            .Replace("    - { type: tool_call }         # reads expect.tool_call of each case", "    - { type: tool_call }         # reads expect.tool_call of each case\n    - { type: max_latency_ms, value: 5 }", StringComparison.Ordinal));

        var called = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");
        var cached = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");

        Assert.True(called.Code == 0, called.Stderr);
        Assert.True(cached.Code == 0, cached.Stderr);
        using var first = JsonDocument.Parse(called.Stdout);
        using var second = JsonDocument.Parse(cached.Stdout);
        var (a, b) = (first.RootElement.GetProperty("summary"), second.RootElement.GetProperty("summary"));
        Assert.Equal(0, a.GetProperty("passed").GetInt32());
        Assert.Equal(0, b.GetProperty("passed").GetInt32());
        Assert.True(b.GetProperty("latency_p50_ms").GetDouble() > 5, cached.Stdout);
        Assert.Contains("max_latency_ms", second.RootElement.GetProperty("not_passed")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalListAndShow_Text_NameTheReleaseByVersion()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", v1, "--format", "json");
        Assert.True(code == 0, stderr);
        var runId = JsonDocument.Parse(stdout).RootElement.GetProperty("run").GetString()!;

        var (_, list, _) = await app.RunAsync("eval", "list");
        var (_, show, _) = await app.RunAsync("eval", "show", runId);
        var (_, showJson, _) = await app.RunAsync("eval", "show", runId, "--format", "json");

        Assert.Contains($" {v1}+", list, StringComparison.Ordinal);
        Assert.Contains($"{v1}+", show, StringComparison.Ordinal);
        Assert.Equal(v1, JsonDocument.Parse(showJson).RootElement.GetProperty("releases")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task EvalRun_StoppedByCancellationThenResumed_FinishesWithoutRepeatingSavedResults()
    {
        using var app = EvalApp.Create();
        // Slow answers (about 50-100 ms each) so that the stop lands midway.
        app.EditManifest(y => y.Replace("options: { latency_scale: 0 }", "options: { latency_scale: 0.1 }", StringComparison.Ordinal));
        using var cts = new CancellationTokenSource();
        var running = app.RunAsync(["eval", "run", "--concurrency", "4", "--trials", "2"], cts.Token);
        await StopAfterResultsAsync(app, 10, running, cts);
        var (code, _, stderr) = await running;
        Assert.True(code == 130, $"exit {code}: {stderr}");
        var resumeLine = stderr.Split('\n').Single(l => l.Contains("--resume", StringComparison.Ordinal));
        var runId = Regex.Match(resumeLine, "--resume (\\S+)").Groups[1].Value;

        var (listCode, listOut, _) = await app.RunAsync("eval", "show", runId, "--format", "json");
        Assert.Equal(0, listCode);
        int saved;
        using (var before = JsonDocument.Parse(listOut))
        {
            Assert.Equal("cancelled", before.RootElement.GetProperty("run").GetProperty("status").GetString());
            saved = before.RootElement.GetProperty("results").GetArrayLength();
        }

        Assert.InRange(saved, 10, 87);
        var (code2, stdout2, stderr2) = await app.RunAsync("eval", "run", "--resume", runId, "--format", "json");
        Assert.True(code2 == 0, stderr2);
        Assert.Contains($"{saved} of 88 result(s) already saved are not repeated", stderr2, StringComparison.Ordinal);
        using var after = JsonDocument.Parse(stdout2);
        Assert.Equal(88, after.RootElement.GetProperty("summary").GetProperty("trials").GetInt32());
    }

    /// <summary>Watches the store like a user watching the progress bar, and presses Ctrl-C once some results are saved.</summary>
    private static async Task StopAfterResultsAsync(EvalApp app, int results, Task running, CancellationTokenSource cts)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!running.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            if (!File.Exists(app.StorePath))
            {
                continue;
            }

            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.StorePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'eval_results'";
            if ((long)(await cmd.ExecuteScalarAsync())! == 0)
            {
                continue;
            }

            cmd.CommandText = "SELECT COUNT(*) FROM eval_results";
            if ((long)(await cmd.ExecuteScalarAsync())! >= results)
            {
                await cts.CancelAsync();
                return;
            }
        }
    }

    // Outside trial (author #11): --trials 100000 ran 700,000 trials; with a paid model one typo is a large bill.
    [Theory]
    [InlineData("eval", "run")]
    [InlineData("gate", "--baseline")]
    public async Task TrialsAboveTheLimit_Exit2BeforeAnyRun(string command, string next)
    {
        using var app = EvalApp.Create();
        string[] args = next == "--baseline" ? [command, next, await app.CreateReleaseAsync()] : [command, next];

        // --tag nothing: were the limit not checked first, the command would stop on "no cases to run", not run for hours.
        var (code, _, stderr) = await app.RunAsync([.. args, "--trials", "100000", "--tag", "nothing"]);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains("--trials 100000 is more than 1000; expected at most 1000 trials a case, as eval.trials", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalRun_BadDatasetLines_Exit2ListingEveryLine()
    {
        using var app = EvalApp.Create();
        var bad = Path.Combine(app.Dir, "evals", "bad.jsonl");
        await File.WriteAllTextAsync(bad, "{\"id\":\"a\"}\nnot json\n");
        var (code, _, stderr) = await app.RunAsync("eval", "run", "--dataset", "evals/bad.jsonl");
        Assert.Equal(2, code);
        Assert.Contains("evals/bad.jsonl:1: missing \"input\"", stderr, StringComparison.Ordinal);
        Assert.Contains("evals/bad.jsonl:2: not valid JSON", stderr, StringComparison.Ordinal);
    }

    // A case the sample's scorers (contains, tool_call; not_contains with values checks every case) cannot read passed
    // with score 1: a typo in expect, an expect.regex without a regex scorer. Exit 2 before any model call, every line.
    [Fact]
    public async Task EvalRun_ExpectKeysNoScorerReads_Exit2NamingEachLine_BeforeAnyCall()
    {
        using var app = EvalApp.Create();
        var path = Path.Combine(app.Dir, "evals", "typo.jsonl");
        const string Input = "\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Return shoes?\"}],\"vars\":{\"customer_tier\":\"gold\"}}";
        await File.WriteAllTextAsync(path, string.Join('\n',
            "{\"id\":\"typo\"," + Input + ",\"expect\":{\"contians\":[\"ZZZ\"]}}",
            "{\"id\":\"unscored\"," + Input + ",\"expect\":{\"regex\":\"^ZZZ$\"}}",
            "{\"id\":\"fine\"," + Input + ",\"expect\":{\"contains\":[\"return\"]}}") + "\n");

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--dataset", "evals/typo.jsonl");

        Assert.Equal(2, code);
        Assert.Contains("evals/typo.jsonl:1: case 'typo': expect.contians is read by no scorer in eval.scorers (the keys they read: contains, icontains, tool_call)", stderr, StringComparison.Ordinal);
        Assert.Contains("evals/typo.jsonl:2: case 'unscored': expect.regex is read by no scorer", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("typo.jsonl:3", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);

        // Without a scorer that checks every case, a case with none of the keys read is unchecked, so refused too.
        app.EditManifest(y => y.Replace("    - { type: not_contains, values: [\"As an AI\"] }\n", "", StringComparison.Ordinal));
        await File.WriteAllTextAsync(path, "{\"id\":\"bare\"," + Input + "}\n");
        var bare = await app.RunAsync("eval", "run", "--dataset", "evals/typo.jsonl");
        Assert.Equal(2, bare.Code);
        Assert.Contains("evals/typo.jsonl:1: case 'bare': no scorer in eval.scorers checks it (its expect has none of: contains, icontains, tool_call)", bare.Stderr, StringComparison.Ordinal);
    }

    // Trial author D6: "warning: eval.scorers is empty: every case passes", then per case "its expect has none of: none".
    [Fact]
    public async Task EvalRun_EmptyScorers_OneErrorAtEvalScorers_NoWarning()
    {
        using var app = EvalApp.Create();
        app.EditManifest(y => System.Text.RegularExpressions.Regex.Replace(y, @"  scorers:\n(    - .*\n)+", "  scorers: []\n"));

        var (code, stdout, stderr) = await app.RunAsync("eval", "run");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("glidepath.yaml:26:12: eval.scorers is empty, so no case could be checked; expected at least one scorer", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("every case passes", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("none of: none", stderr, StringComparison.Ordinal);
    }

    // Both from an outside trial: the resume line left out the --var the run needed (copied, it ran the rest and stopped
    // again on "template variable … is not set") and --no-cache; and a resume without --no-cache served the rest of a
    // --no-cache run from the response cache (0 model calls for 488 trials). Real HTTP, real cache: the calls are counted.
    // (A variable nobody sets now refuses the run before it starts: the run is stopped here by Ctrl-C, its first call held.)
    [Fact]
    public async Task EvalRun_NoCacheRunStoppedThenResumedByTheCopiedLine_CallsTheModelForTheRestWithTheVars()
    {
        using var endpoint = new SlowOpenAIEndpoint(hold: 1);
        using var app = EvalApp.OnOpenAI(endpoint);
        app.EditPrompt(p => p.Replace("{{customer_tier}} tier customer.", "{{customer_tier}} tier customer (kb {{kb_url}}).", StringComparison.Ordinal));
        const string Ask = "\"messages\":[{\"role\":\"user\",\"content\":\"Can I return shoes?\"}]";
        await File.WriteAllTextAsync(Path.Combine(app.Dir, "evals", "resume.jsonl"), string.Join('\n',
            "{\"id\":\"a\",\"input\":{" + Ask + ",\"vars\":{\"customer_tier\":\"gold\",\"kb_url\":\"https://kb.a\"}},\"expect\":{\"contains\":[\"ok\"]}}",
            "{\"id\":\"b\",\"input\":{" + Ask + ",\"vars\":{\"customer_tier\":\"gold\"}},\"expect\":{\"contains\":[\"ok\"]}}",
            "{\"id\":\"c\",\"input\":{" + Ask + "},\"expect\":{\"contains\":[\"ok\"]}}") + "\n");
        const string KbUrl = "kb_url=https://kb.test/it's here";
        var cached = await app.RunAsync("eval", "run", "--dataset", "evals/resume.jsonl", "--var", KbUrl, "--var", "customer_tier=silver");
        Assert.True(cached.Code == 0, cached.Stderr);
        Assert.Equal(3, endpoint.Bodies.Count); // every answer, c's included, is now in the response cache

        var held = endpoint.HoldFromNow();
        using var cts = new CancellationTokenSource();
        var running = app.RunAsync(["eval", "run", "--dataset", "evals/resume.jsonl", "--no-cache", "--concurrency", "1", "--var", KbUrl, "--var", "customer_tier=silver", "--format", "json"], cts.Token);
        await Task.WhenAny(held, running);
        Assert.True(held.IsCompleted, "the run ended before its first call");
        await cts.CancelAsync();
        var (code, stdout, stderr) = await running;

        Assert.True(code == 130, $"exit {code}: {stderr}");
        var resume = JsonDocument.Parse(stdout).RootElement.GetProperty("resume").GetString()!;
        var runId = Regex.Match(resume, "--resume (\\S+)").Groups[1].Value;
        Assert.Equal($"glidepath eval run --resume {runId} --no-cache --var 'kb_url=https://kb.test/it'\\''s here' --var customer_tier=silver --manifest {app.Manifest} --store {app.StorePath}", resume);

        endpoint.ReleaseHeld();
        var before = endpoint.Bodies.Count;
        // The printed line as copied; without its --no-cache, as the trial typed it: the run keeps the cache choice it
        // was started with either way.
        var resumed = await app.RunAsGivenAsync([.. PosixWords(resume).Skip(1).Where(w => w != "--no-cache")]);

        Assert.True(resumed.Code == 0, resumed.Stderr);
        var note = Regex.Match(resumed.Stderr, "resuming run \\S+: (\\d+) of 3");
        var saved = note.Success ? int.Parse(note.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var calls = endpoint.Bodies.Skip(before).ToList();
        Assert.True(calls.Count == 3 - saved && calls.Count > 0, $"{calls.Count} model call(s) for the {3 - saved} trial(s) left");
        var c = Assert.Single(calls, body => body.Contains("silver tier", StringComparison.Ordinal)); // case c: both vars from the command line
        Assert.Matches("kb https://kb.test/it('|\\\\u0027)s here", c);
    }

    // From an outside trial: with the provider's key variable unset, every case was tried and errored before exit 3; then
    // (newcomer trial L3) the run stopped before the first case, but only after it had registered the release and stored a
    // 'stopped' run, one more for every retry. The key is known to be missing before anything is stored: exit 2, nothing stored.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EvalRunAndGate_ProviderKeyVariableNotSet_Exit2NamingTheVariableBeforeAnyRunOrRelease(bool gate)
    {
        using var endpoint = new SlowOpenAIEndpoint(hold: 1);
        using var app = EvalApp.OnOpenAI(endpoint);
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "Be brief.\n");
        var variable = "GLIDEPATH_TEST_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        app.EditManifest(y => y.Replace("max_retries: 0", $"max_retries: 0, api_key_env: {variable}", StringComparison.Ordinal));

        var (code, stdout, stderr) = await app.RunAsync(gate ? ["gate", "--baseline", v1, "--format", "json"] : ["eval", "run", "--format", "json"]);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        var error = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal($"working calls provider 'openai', and environment variable {variable} is not set; export it with the provider's API key (providers.openai.api_key_env names it); nothing was run or stored",
            error.GetProperty("error").GetString());
        Assert.False(error.TryGetProperty("resume", out _));
        var (_, runs, _) = await app.RunAsync("eval", "list", "--format", "json");
        Assert.Equal(0, JsonDocument.Parse(runs).RootElement.GetArrayLength());
        var (_, releases, _) = await app.RunAsync("release", "list", "--format", "json");
        Assert.DoesNotContain("\"v2\"", releases, StringComparison.Ordinal);
        Assert.Empty(endpoint.Bodies);
    }

    // The check reads the key variable the settings in force name: a sim release needs none, an OpenAI-compatible
    // base_url without api_key_env needs none, and --env's providers: override names the variable to read.
    [Fact]
    public async Task EvalRun_KeyNamedOnlyByAnEnvironmentsOverride_CheckedUnderThatEnvOnly()
    {
        using var endpoint = new SlowOpenAIEndpoint(hold: 1);
        using var app = EvalApp.OnOpenAI(endpoint);
        var variable = "GLIDEPATH_TEST_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        app.EditManifest(y => y.Replace("  staging:\n", $"  staging:\n    providers: {{ openai: {{ api_key_env: {variable} }} }}\n", StringComparison.Ordinal));

        var without = await app.RunAsync("eval", "run", "--tag", "refunds");
        var staging = await app.RunAsync("eval", "run", "--tag", "refunds", "--env", "staging");

        Assert.True(without.Code is 0 or 1, without.Stderr);
        Assert.True(staging.Code == 2, $"exit {staging.Code}: {staging.Stderr}");
        Assert.Contains($"environment variable {variable} is not set", staging.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Splits a command line as a POSIX shell does for the quoting the resume line uses: plain words and '…' (with '\'' for a quote).</summary>
    private static List<string> PosixWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, end - i - 1);
                (i, inWord) = (end, true);
            }
            else if (c == '\\')
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    (word, inWord) = (new StringBuilder(), false);
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    // eval show --format json gave status as a number (0, 1) where eval run says "fail", and the record's derived key,
    // why and display; each result now reads as eval run's not_passed does.
    [Fact]
    public async Task EvalShow_FormatJson_StatusAsTextReasonAndNoDerivedFields()
    {
        using var app = EvalApp.Create();
        app.ModelClients = (_, _) => new FakeModelClients((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "As an AI I cannot say.")));
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");
        Assert.True(code == 0, stderr);
        using var run = JsonDocument.Parse(stdout);
        var notPassed = run.RootElement.GetProperty("not_passed")[0];

        var (showCode, showJson, showErr) = await app.RunAsync("eval", "show", run.RootElement.GetProperty("run").GetString()!, "--format", "json");

        Assert.True(showCode == 0, showErr);
        using var show = JsonDocument.Parse(showJson);
        var result = show.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("case_id").GetString() == notPassed.GetProperty("case_id").GetString());
        Assert.Equal(["run_id", "release_id", "case_id", "trial", "status", "score", "reason", "output", "tool_calls", "latency_ms", "cost_usd", "input_tokens", "output_tokens", "scores", "error", "finished_at"],
            result.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(("fail", notPassed.GetProperty("reason").GetString()), (result.GetProperty("status").GetString(), result.GetProperty("reason").GetString()));
        Assert.Contains("not_contains", result.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    // Newcomer trial L6: tool_calls were "lookup_order({\"order_id\":\"NW-1\"})" strings, and a scorer that did not apply
    // to the case said "passed": true beside "applicable": false.
    [Fact]
    public async Task EvalShow_FormatJson_ToolCallsAsNameAndArgumentsAndANotApplicableScorerNotPassed()
    {
        using var app = EvalApp.Create();
        app.ModelClients = (_, _) => new FakeModelClients((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new TextContent("Within 30 days."), new FunctionCallContent("c1", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "NW-1" })])));
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");
        Assert.True(code == 0, stderr);
        using var run = JsonDocument.Parse(stdout);

        var (showCode, showJson, showErr) = await app.RunAsync("eval", "show", run.RootElement.GetProperty("run").GetString()!, "--format", "json");

        Assert.True(showCode == 0, showErr);
        using var show = JsonDocument.Parse(showJson);
        var result = show.RootElement.GetProperty("results")[0];
        var call = Assert.Single(result.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("lookup_order", call.GetProperty("name").GetString());
        Assert.Equal("NW-1", call.GetProperty("arguments").GetProperty("order_id").GetString());
        var toolCall = result.GetProperty("scores").EnumerateArray().Single(s => s.GetProperty("scorer").GetString() == "tool_call");
        Assert.False(toolCall.GetProperty("applicable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, toolCall.GetProperty("passed").ValueKind);
        var contains = result.GetProperty("scores").EnumerateArray().Single(s => s.GetProperty("scorer").GetString() == "contains");
        Assert.True(contains.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task EvalRun_ResumeAfterDatasetChanged_Exit2()
    {
        using var app = EvalApp.Create();
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "shipping", "--format", "json");
        Assert.True(code == 0, stderr);
        var runId = JsonDocument.Parse(stdout).RootElement.GetProperty("run").GetString()!;
        await File.AppendAllTextAsync(Path.Combine(app.Dir, "evals", "support.jsonl"), "{\"id\":\"new\",\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n");
        var (code2, _, stderr2) = await app.RunAsync("eval", "run", "--resume", runId);
        Assert.Equal(2, code2);
        Assert.Contains("changed since run", stderr2, StringComparison.Ordinal);
    }
}
