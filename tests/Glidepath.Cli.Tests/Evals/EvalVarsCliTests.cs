using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Glidepath.Cli.Tests.Evals;

public sealed class EvalVarsCliTests
{
    private static ConcurrentBag<string> CaptureSystemPrompts(EvalApp app)
    {
        var prompts = new ConcurrentBag<string>();
        app.EditPrompt(p => p.Replace("{{customer_tier}} tier customer.", "{{customer_tier}} tier customer (kb {{kb_url}}).", StringComparison.Ordinal));
        app.ModelClients = (_, _) => new FakeModelClients((_, messages) =>
        {
            prompts.Add(messages[0].Text);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "You have 30 days."));
        });
        return prompts;
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

        var (code, _, stderr) = await app.RunAsync("eval", "run", "--var", "kb_url=https://kb.test", "--var", "unused=a=b", "--tag", "refunds");

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
}
