using Microsoft.Extensions.AI;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// The tools a dataset's cases expect, checked against the releases a run scores before any model call (trial author #8:
/// a case expecting "find_ordr" failed on both sides for ever and could never block a gate).
/// </summary>
public sealed class EvalToolNamesCliTests
{
    private static string ToolCase(string id, string tool) =>
        "{\"id\":\"" + id + "\",\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Where is my order NW-48213?\"}],\"vars\":{\"customer_tier\":\"gold\"}},\"expect\":{\"tool_call\":{\"name\":\"" + tool + "\"}}}";

    private static void WriteDataset(EvalApp app, params string[] lines) =>
        File.WriteAllText(Path.Combine(app.Dir, "evals", "tools.jsonl"), string.Join('\n', lines) + "\n");

    [Theory]
    [InlineData("eval", "run")]
    [InlineData("gate", null)]
    public async Task EvalRunAndGate_ExpectedToolNoReleaseDefines_Exit2AtItsLineBeforeAnyCall(string command, string? sub)
    {
        using var app = EvalApp.Create();
        var calls = 0;
        app.ModelClients = (_, _) => new FakeModelClients((_, _) =>
        {
            Interlocked.Increment(ref calls);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"));
        });
        WriteDataset(app, ToolCase("ok", "lookup_order"), ToolCase("typo", "lookup_ordr"));
        string[] args = sub is null ? [command, "--baseline", await app.CreateReleaseAsync()] : [command, sub];

        var (code, _, stderr) = await app.RunAsync([.. args, "--dataset", "evals/tools.jsonl"]);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        // (The gate's candidate has the baseline's content here: one release, and the error says so.)
        Assert.Contains("evals/tools.jsonl:2: case 'typo': expect.tool_call names tool 'lookup_ordr', which the release does not define "
            + "(its tools: lookup_order, issue_refund, escalate); did you mean 'lookup_order'?", stderr, StringComparison.Ordinal);
        Assert.Equal(0, calls);
    }

    // Decided: a gate checks the names against both releases. The candidate renamed lookup_order to find_order: cases
    // naming either run (the baseline fails the new name's, the candidate the old name's: what the gate is there to see).
    [Fact]
    public async Task Gate_CandidateRenamedATool_BothNamesRun()
    {
        using var app = EvalApp.Create();
        var baseline = await app.CreateReleaseAsync();
        var tool = Path.Combine(app.Dir, "tools", "lookup_order.json");
        File.WriteAllText(tool, File.ReadAllText(tool).Replace("\"lookup_order\"", "\"find_order\"", StringComparison.Ordinal));
        WriteDataset(app, ToolCase("new-name", "find_order"), ToolCase("old-name", "lookup_order"));

        var (code, _, stderr) = await app.RunAsync("gate", "--baseline", baseline, "--dataset", "evals/tools.jsonl");

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        Assert.DoesNotContain("expect.tool_call names tool", stderr, StringComparison.Ordinal);
    }
}
