using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Glidepath.Cli.Tests.Evals;

public sealed class EvalVarsCliTests
{
    private static ConcurrentBag<string> CaptureSystemPrompts(EvalApp app)
    {
        var prompts = new ConcurrentBag<string>();
        app.EditPrompt(p => p.Replace("{{customer_tier}} tier customer.", "{{customer_tier}} tier customer (kb {{kb_url}}).", StringComparison.Ordinal));
        app.EditManifest(WithKbUrls);
        app.ModelClients = (_, _) => new FakeModelClients((_, messages) =>
        {
            prompts.Add(messages[0].Text);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "You have 30 days."));
        });
        return prompts;
    }

    /// <summary>The sample's environments with a kb_url each (the sample's prompt uses none, so it sets none).</summary>
    private static string WithKbUrls(string yaml)
    {
        const string Vars = "    vars: { customer_tier: standard }";
        var staging = yaml.IndexOf(Vars, StringComparison.Ordinal);
        var production = yaml.IndexOf(Vars, staging + Vars.Length, StringComparison.Ordinal);
        Assert.True(staging > 0 && production > staging, "the sample's environments no longer set vars as this test expects");
        return yaml[..staging] + "    vars: { kb_url: \"https://kb.staging.northwind.example\", customer_tier: standard }"
            + yaml[(staging + Vars.Length)..production] + "    vars: { kb_url: \"https://kb.northwind.example\", customer_tier: standard }"
            + yaml[(production + Vars.Length)..];
    }

    [Fact]
    public async Task EvalRun_Env_RendersThePromptWithThatEnvironmentsVarsAndCaseVarsWin()
    {
        using var app = EvalApp.Create();
        var prompts = CaptureSystemPrompts(app);

        var (code, _, stderr) = await app.RunAsync("eval", "run", "--env", "production", "--tag", "refunds");

        Assert.True(code is 0 or 1, stderr);
        Assert.NotEmpty(prompts);
        Assert.All(prompts, p => Assert.Contains("(kb https://kb.northwind.example)", p, StringComparison.Ordinal));
        Assert.Contains(prompts, p => p.Contains("gold tier", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvalRun_Var_SetsAVariableNoCaseSets()
    {
        using var app = EvalApp.Create();
        var prompts = CaptureSystemPrompts(app);

        var (code, _, stderr) = await app.RunAsync("eval", "run", "--var", "kb_url=https://kb.test", "--var", "customer_tier=a=b", "--tag", "refunds");

        Assert.True(code is 0 or 1, stderr);
        Assert.All(prompts, p => Assert.Contains("(kb https://kb.test)", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("eval", "run")]
    [InlineData("gate", null)]
    public async Task EvalRunAndGate_MalformedVar_Exit2NamingIt(string command, string? sub)
    {
        using var app = EvalApp.Create();
        string[] args = sub is null ? [command, "--var", "kb_url"] : [command, sub, "--var", "kb_url"];

        var (code, _, stderr) = await app.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("--var kb_url: expected NAME=VALUE", stderr, StringComparison.Ordinal);
    }

    // Trial author #9: --var memberlevel=gold (for member_level) ran with the environment's value, exit 0, without a word.
    [Theory]
    [InlineData("eval", "run")]
    [InlineData("gate", null)]
    public async Task EvalRunAndGate_VarNoTemplateUses_Exit2NamingTheVariablesItUsesBeforeAnyCall(string command, string? sub)
    {
        using var app = EvalApp.Create();
        var prompts = CaptureSystemPrompts(app);
        string[] args = sub is null ? [command, "--baseline", await app.CreateReleaseAsync()] : [command, sub];
        app.EditPrompt(p => p + "\nReply in {{language}}.\n"); // the gate's candidate then differs from its baseline

        var (code, _, stderr) = await app.RunAsync([.. args, "--env", "staging", "--var", "language=en", "--var", "customertier=gold", "--tag", "refunds"]);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        var uses = sub is null
            ? "no template of the candidate or the baseline uses it (the candidate's variables: customer_tier, kb_url, language; the baseline's: customer_tier, kb_url)"
            : "no template of the release uses it (it uses: customer_tier, kb_url, language)";
        Assert.Contains($"error: --var customertier: {uses}; did you mean 'customer_tier'?", stderr, StringComparison.Ordinal);
        Assert.Empty(prompts);
    }

    // The candidate renamed a variable: a --var naming the new one must not stop the gate because the baseline uses the old.
    [Fact]
    public async Task Gate_VarOnlyTheCandidateUses_Runs()
    {
        using var app = EvalApp.Create();
        var prompts = CaptureSystemPrompts(app);
        var baseline = await app.CreateReleaseAsync();
        app.EditPrompt(p => p.Replace("{{kb_url}}", "{{help_url}}", StringComparison.Ordinal));

        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", baseline, "--env", "staging", "--var", "help_url=https://help.test", "--tag", "refunds");

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        Assert.Contains(prompts, p => p.Contains("(kb https://help.test)", StringComparison.Ordinal));
    }

    // Trial author #9: input.vars no template uses were accepted without a word. A warning on stderr, once per name (a
    // promptfoo import keeps every var of its tests), and stdout stays one JSON document.
    [Fact]
    public async Task EvalRun_CaseVarsNoTemplateUses_OneWarningPerNameOnStderrAndJsonOnStdout()
    {
        using var app = EvalApp.Create();
        var dataset = Path.Combine(app.Dir, "evals", "unused.jsonl");
        File.WriteAllText(dataset, string.Join('\n',
            """{"id":"a","input":{"messages":[{"role":"user","content":"Can I return shoes?"}],"vars":{"customer_tier":"gold","expected":"30 days"}},"expect":{"contains":["30 days"]}}""",
            """{"id":"b","input":{"messages":[{"role":"user","content":"Can I return a jacket?"}],"vars":{"customer_tier":"gold","expected":"30 days","customertier":"silver"}},"expect":{"contains":["30 days"]}}""") + "\n");

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--dataset", "evals/unused.jsonl", "--format", "json");

        Assert.True(code is 0, $"exit {code}: {stderr}");
        Assert.Contains("warning: evals/unused.jsonl:1: input.vars 'expected' (set by 2 case(s), the first on this line) is ignored: no template of the release uses it (it uses: customer_tier)", stderr, StringComparison.Ordinal);
        Assert.Contains("warning: evals/unused.jsonl:2: input.vars 'customertier' (set by 1 case(s), the first on this line) is ignored: no template of the release uses it (it uses: customer_tier); did you mean 'customer_tier'?", stderr, StringComparison.Ordinal);
        Assert.Equal(2, stderr.Split("warning: ").Length - 1);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("summary").GetProperty("cases").GetInt32());
    }

    [Fact]
    public async Task Gate_UnknownEnv_Exit2ListingTheDeclaredOnes()
    {
        using var app = EvalApp.Create();

        var (code, _, stderr) = await app.RunAsync("gate", "--env", "qa");

        Assert.Equal(2, code);
        Assert.Contains("unknown environment 'qa'; expected one of: ", stderr, StringComparison.Ordinal);
        Assert.Contains("staging, production", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_EnvAndVar_ReachBothReleases()
    {
        using var app = EvalApp.Create();
        var prompts = CaptureSystemPrompts(app);
        var baseline = await app.CreateReleaseAsync();

        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", baseline, "--env", "staging", "--var", "kb_url=https://kb.gate", "--tag", "refunds");

        Assert.True(code is 0 or 1, stderr);
        Assert.All(prompts, p => Assert.Contains("(kb https://kb.gate)", p, StringComparison.Ordinal));
    }

    // A variable nobody set makes every case unaskable: exit 2 naming the case and the variable, no model call (it used
    // to record an error for every case, after sending the ones that could go, and exit 3).
    [Theory]
    [InlineData("eval", "run")]
    [InlineData("gate", null)]
    public async Task EvalRunAndGate_TemplateVariableNobodySet_Exit2NamingTheCaseAndNoCall(string command, string? sub)
    {
        using var app = EvalApp.Create();
        var prompts = CaptureSystemPrompts(app);
        var dataset = Path.Combine(app.Dir, "evals", "novars.jsonl");
        File.WriteAllText(dataset, """{"id":"a","input":{"messages":[{"role":"user","content":"hi"}]}}""" + "\n");
        string[] args = sub is null ? [command, "--baseline", await app.CreateReleaseAsync(), "--dataset", dataset] : [command, sub, "--dataset", dataset];

        var (code, _, stderr) = await app.RunAsync(args);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.True(stderr.Contains("novars.jsonl:1: case 'a': ", StringComparison.Ordinal), stderr);
        Assert.True(stderr.Contains("template variable", StringComparison.Ordinal) && stderr.Contains("not set", StringComparison.Ordinal), stderr);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.Empty(prompts);
    }

    // Newcomer trial L1: 'model try --release v2' worked (it uses the first environment's vars) while 'eval run v2' stopped
    // with "template variable 'city' is not set". Eval and gate keep using no environment's vars unless told (a verdict
    // must not depend on which environment is listed first); the error names the --env that sets the variable.
    [Theory]
    [InlineData("eval", "run")]
    [InlineData("gate", null)]
    public async Task EvalRunAndGate_VariableOnlyAnEnvironmentSets_Exit2NamingTheEnvToAdd(string command, string? sub)
    {
        using var app = EvalApp.Create();
        var prompts = CaptureSystemPrompts(app);
        app.EditPrompt(p => p + "\nThe customer is in {{city}}.\n");
        app.EditManifest(y => y.Replace("vars: { kb_url: \"https://kb.northwind.example\", customer_tier: standard }",
            "vars: { kb_url: \"https://kb.northwind.example\", customer_tier: standard, city: Berlin }", StringComparison.Ordinal));
        var dataset = Path.Combine(app.Dir, "evals", "city.jsonl");
        File.WriteAllText(dataset, """{"id":"a","input":{"messages":[{"role":"user","content":"hi"}],"vars":{"customer_tier":"gold","kb_url":"https://kb.test"}}}""" + "\n");
        string[] args = sub is null ? [command, "--baseline", await app.CreateReleaseAsync(), "--dataset", dataset] : [command, sub, "--dataset", dataset];

        var (code, _, stderr) = await app.RunAsync(args);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.True(stderr.Contains("template variable 'city' is not set", StringComparison.Ordinal), stderr);
        Assert.True(stderr.Contains("Without --env no environment's vars are used; environment 'production' sets 'city': add --env production", StringComparison.Ordinal), stderr);
        Assert.Empty(prompts);
    }

    // Newcomer trial L3: the run found the unset variable only once it had started, so every retry without --env left
    // one more 'stopped' run (and a gate registered its candidate). Now refused before: no run, no new release.
    [Theory]
    [InlineData("eval", "run")]
    [InlineData("gate", null)]
    public async Task EvalRunAndGate_VariableNoCaseSets_RefusedBeforeAnyRunOrReleaseIsStored(string command, string? sub)
    {
        using var app = EvalApp.Create();
        var prompts = CaptureSystemPrompts(app);
        app.EditPrompt(p => p + "\nThe customer is in {{city}}.\n");
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "Be brief.\n");
        var dataset = Path.Combine(app.Dir, "evals", "city.jsonl");
        File.WriteAllText(dataset, string.Join('\n',
            """{"id":"a","input":{"messages":[{"role":"user","content":"hi"}],"vars":{"city":"Oslo"}}}""",
            """{"id":"b","input":{"messages":[{"role":"user","content":"hi"}]}}""",
            """{"id":"c","input":{"messages":[{"role":"user","content":"hi"}]}}""") + "\n");
        string[] args = sub is null ? [command, "--baseline", v1, "--dataset", dataset] : [command, sub, "--dataset", dataset];

        var (code, _, stderr) = await app.RunAsync([.. args, "--var", "customer_tier=gold", "--var", "kb_url=https://kb.test"]);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.True(stderr.Contains("city.jsonl:2: case 'b': template variable 'city' is not set (1 more case(s) leave 'city' unset); give it in the case's input.vars, with --var NAME=VALUE, or with --env", StringComparison.Ordinal), stderr);
        Assert.True(stderr.Contains("Nothing was run or stored", StringComparison.Ordinal), stderr);
        Assert.DoesNotContain("--resume", stderr, StringComparison.Ordinal);
        Assert.Empty(prompts);
        var (_, runs, _) = await app.RunAsync("eval", "list", "--format", "json");
        Assert.Equal(0, JsonDocument.Parse(runs).RootElement.GetArrayLength());
        var (_, releases, _) = await app.RunAsync("release", "list", "--format", "json");
        Assert.DoesNotContain("\"v2\"", releases, StringComparison.Ordinal);
    }
}
